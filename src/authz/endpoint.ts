import type { Endpoint } from '../context';
import { ForbiddenError } from '../errors/app-error';

const served: Record<Endpoint, 'INTERNAL' | 'EXTERNAL'> = { internal: 'INTERNAL', portal: 'EXTERNAL' };

/**
 * R22: external users authenticate only at the portal, internal users only at /graphql — for
 * logins and for every request with a token. The refusal to return, or undefined when allowed.
 */
export function endpointRefusal(endpoint: Endpoint, userType: 'INTERNAL' | 'EXTERNAL', when: 'login' | 'request'): ForbiddenError | undefined {
  if (served[endpoint] === userType) return undefined;
  if (when === 'login') return new ForbiddenError(userType === 'EXTERNAL' ? 'External users log in at /portal/graphql' : 'Internal users log in at /graphql');
  return new ForbiddenError(userType === 'EXTERNAL' ? 'External users use the portal endpoint' : 'Internal users cannot use the portal endpoint');
}
