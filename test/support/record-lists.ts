import * as alert from '../../src/db/records/alert';
import * as attachment from '../../src/db/records/attachment';
import * as caseTemplate from '../../src/db/records/case-template';
import * as kase from '../../src/db/records/case';
import * as comment from '../../src/db/records/comment';
import * as cortex from '../../src/db/records/cortex';
import * as customField from '../../src/db/records/custom-field';
import * as observable from '../../src/db/records/observable';
import * as organisation from '../../src/db/records/organisation';
import * as profile from '../../src/db/records/profile';
import * as share from '../../src/db/records/share';
import * as task from '../../src/db/records/task';
import * as user from '../../src/db/records/user';

/** The table (and alias) each select list of src/db/records reads; a list missing here fails the tests that use this. */
const FROM: Record<string, string> = {
  ALERT_COLUMNS: 'alert al',
  ALERT_OBSERVABLE_COLUMNS: 'alert_observable ao',
  ATTACHMENT_COLUMNS: 'attachment a',
  CASE_TEMPLATE_COLUMNS: 'case_template ct',
  CASE_COLUMNS: '"case" c',
  COMMENT_COLUMNS: 'comment cm',
  JOB_COLUMNS: 'cortex_job j',
  ANALYZER_TEMPLATE_COLUMNS: 'analyzer_template t',
  CUSTOM_FIELD_COLUMNS: 'custom_field f',
  OBSERVABLE_COLUMNS: 'observable ob',
  ORGANISATION_COLUMNS: 'organisation o',
  PROFILE_COLUMNS: 'profile p',
  SHARE_COLUMNS: 'share sh',
  TASK_COLUMNS: 'task t',
  USER_COLUMNS: 'app_user u',
};

const modules = [alert, attachment, caseTemplate, kase, comment, cortex, customField, observable, organisation, profile, share, task, user];

/** Every exported *_COLUMNS of src/db/records, with the FROM clause it is written for. */
export const RECORD_LISTS: Record<string, { sql: string; from: string }> = Object.fromEntries(
  modules
    .flatMap((m) => Object.entries(m))
    .filter(([name]) => name.endsWith('_COLUMNS'))
    .map(([name, sql]) => {
      if (!FROM[name]) throw new Error(`test/support/record-lists.ts: no table for ${name}`);
      return [name, { sql: sql as string, from: FROM[name] }];
    }),
);
