import { AttachmentEntity } from '../modules/attachment/attachment.entity';
import { AuditChainHeadEntity, AuditEntity, AuditLinkEntity } from '../modules/audit/audit.entity';
import { CredentialEntity, InvitationEntity, LoginThrottleEntity } from '../modules/auth/auth.entity';
import { CaseEntity, ExternalGrantEntity } from '../modules/case/case.entity';
import { CommentEntity } from '../modules/comment/comment.entity';
import { ObservableEntity, ObservableShareEntity } from '../modules/observable/observable.entity';
import { OrganisationEntity, OrganisationLinkEntity } from '../modules/organisation/organisation.entity';
import { ProfileEntity } from '../modules/profile/profile.entity';
import { ShareEntity } from '../modules/share/share.entity';
import { TaskEntity, TaskShareEntity } from '../modules/task/task.entity';
import { MembershipEntity, UserEntity } from '../modules/user/user.entity';
import { ReadRecordEntity } from '../modules/ledger/ledger.entity';
import { TagEntity } from '../modules/tag/tag.entity';
import { CustomFieldEntity } from '../modules/custom-field/custom-field.entity';
import { CaseTemplateEntity } from '../modules/case-template/case-template.entity';

export const entities = [
  OrganisationEntity, OrganisationLinkEntity, ProfileEntity, UserEntity, MembershipEntity,
  CredentialEntity, InvitationEntity, LoginThrottleEntity, AuditEntity, AuditLinkEntity, AuditChainHeadEntity, CaseEntity, ExternalGrantEntity, ShareEntity,
  TaskEntity, TaskShareEntity, ObservableEntity, ObservableShareEntity, CommentEntity, AttachmentEntity,
  ReadRecordEntity, TagEntity, CustomFieldEntity, CaseTemplateEntity,
];
