import type { Resolvers } from '../generated/internal';
import { organisationResolvers } from './organisation/organisation.resolvers';
import { profileResolvers } from './profile/profile.resolvers';
import { userResolvers } from './user/user.resolvers';
import { liveFeedResolvers } from './audit/live-feed.resolvers';
import { commentResolvers } from './comment/comment.resolvers';
import { attachmentResolvers } from './attachment/attachment.resolvers';
import { externalResolvers } from './external/external.resolvers';
import { caseResolvers } from './case/case.resolvers';
import { shareResolvers } from './share/share.resolvers';
import { taskResolvers } from './task/task.resolvers';
import { observableResolvers } from './observable/observable.resolvers';
import { auditResolvers } from './audit/audit.resolvers';
import { auditChainResolvers } from './audit/audit-chain.resolvers';
import { ledgerResolvers } from './ledger/ledger.resolvers';
import { tagResolvers } from './tag/tag.resolvers';
import { customFieldResolvers } from './custom-field/custom-field.resolvers';
import { caseTemplateResolvers } from './case-template/case-template.resolvers';
import { configResolvers } from './config/config.resolvers';
import { cortexResolvers } from './cortex/cortex.resolvers';
import { alertResolvers } from './alert/alert.resolvers';
import { disclosureResolvers } from './disclosure/disclosure.resolvers';

/** Every module's resolvers for /graphql; each module owns its part of the SDL. */
export const internalResolvers: Resolvers[] = [
  organisationResolvers,
  profileResolvers,
  userResolvers,
  liveFeedResolvers,
  commentResolvers,
  attachmentResolvers,
  externalResolvers,
  caseResolvers,
  shareResolvers,
  taskResolvers,
  observableResolvers,
  auditResolvers,
  auditChainResolvers,
  ledgerResolvers,
  tagResolvers,
  customFieldResolvers,
  caseTemplateResolvers,
  configResolvers,
  cortexResolvers,
  alertResolvers,
  disclosureResolvers,
];
