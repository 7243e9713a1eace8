import type { Config } from '../../config';

/**
 * A Cortex call that did not give what was asked, with a message a person can read (it becomes
 * the job's failure reason). `transient`: worth retrying with backoff (no answer, timeout, 5xx,
 * 429, malformed JSON); otherwise the job fails at once (unknown worker, refused key, bad request).
 */
export class CortexError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

const MAX_RESPONSE_CHARS = 16 * 1024 * 1024;

/** The Cortex REST API (api-contract.md, "Cortex"): JSON in and out, `Authorization: Bearer CORTEX_API_KEY`. */
export async function cortexCall(config: Config, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  if (!config.cortexUrl) throw new CortexError('Cortex is not configured on this server (CORTEX_URL is not set)', false);
  let res: Response;
  try {
    res = await fetch(`${config.cortexUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(config.cortexApiKey ? { authorization: `Bearer ${config.cortexApiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      // The key is for CORTEX_URL only: a redirect elsewhere is an error, not a second destination.
      redirect: 'error',
      // Bounds the whole call, body included: a Cortex that stops answering never holds a job.
      signal: AbortSignal.timeout(config.cortexTimeoutMs),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new CortexError(`Cortex did not answer within ${config.cortexTimeoutMs} ms`, true);
    throw new CortexError(`Cortex could not be reached (${err.cause?.code ?? err.message})`, true);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    const err = e as Error;
    throw new CortexError(
      err.name === 'TimeoutError' || err.name === 'AbortError'
        ? `Cortex did not answer within ${config.cortexTimeoutMs} ms`
        : 'Cortex closed the connection before answering',
      true,
    );
  }
  if (!res.ok) {
    const detail = messageOf(text);
    const said = detail ? `: ${detail}` : '';
    if (res.status >= 500 || res.status === 429) throw new CortexError(`Cortex answered ${res.status}${said}`, true);
    if (res.status === 401 || res.status === 403) throw new CortexError(`Cortex refused the API key (${res.status}); check CORTEX_API_KEY`, false);
    if (res.status === 404) throw new CortexError(`Cortex has no such ${path.startsWith('/api/job') ? 'job' : 'worker'} (404)${said}`, false);
    throw new CortexError(`Cortex refused the request (${res.status})${said}`, false);
  }
  if (text.length > MAX_RESPONSE_CHARS) throw new CortexError('Cortex answered more than 16 MiB', false);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CortexError('Cortex answered something that is not JSON', true);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CortexError('Cortex answered JSON that is not an object', true);
  return parsed as Record<string, unknown>;
}

/** Cortex's own error text, when its answer carries one (`{"type": …, "message": …}`), kept short. */
function messageOf(text: string): string | undefined {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    return typeof m === 'string' && m ? m.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
