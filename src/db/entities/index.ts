import { AttachmentEntity } from './attachment.entity';
import { AuditChainHeadEntity, AuditEntity, AuditLinkEntity } from './audit.entity';
import { CredentialEntity, InvitationEntity, LoginThrottleEntity } from './auth.entity';
import { CaseEntity, ExternalGrantEntity } from './case.entity';
import { CommentEntity } from './comment.entity';
import { ObservableEntity, ObservableShareEntity } from './observable.entity';
import { OrganisationEntity, OrganisationLinkEntity } from './organisation.entity';
import { ProfileEntity } from './profile.entity';
import { ShareEntity } from './share.entity';
import { TaskEntity, TaskShareEntity } from './task.entity';
import { MembershipEntity, UserEntity } from './user.entity';
import { ReadRecordEntity } from './ledger.entity';
import { TagEntity } from './tag.entity';
import { CustomFieldEntity } from './custom-field.entity';
import { CaseTemplateEntity } from './case-template.entity';
import { ConfigSettingEntity } from './config.entity';
import { AnalyzerTemplateEntity, CortexJobEntity } from './cortex.entity';
import { AlertEntity, AlertObservableEntity } from './alert.entity';

export const entities = [
  OrganisationEntity,
  OrganisationLinkEntity,
  ProfileEntity,
  UserEntity,
  MembershipEntity,
  CredentialEntity,
  InvitationEntity,
  LoginThrottleEntity,
  AuditEntity,
  AuditLinkEntity,
  AuditChainHeadEntity,
  CaseEntity,
  ExternalGrantEntity,
  ShareEntity,
  TaskEntity,
  TaskShareEntity,
  ObservableEntity,
  ObservableShareEntity,
  CommentEntity,
  AttachmentEntity,
  ReadRecordEntity,
  TagEntity,
  CustomFieldEntity,
  CaseTemplateEntity,
  ConfigSettingEntity,
  AnalyzerTemplateEntity,
  CortexJobEntity,
  AlertEntity,
  AlertObservableEntity,
];
