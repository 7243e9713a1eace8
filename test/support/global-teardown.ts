import { Client } from 'pg';
import { adminUrl, TEMPLATE_ENV } from './database-url';

export default async function globalTeardown(): Promise<void> {
  const templates = Object.values(TEMPLATE_ENV)
    .map((name) => process.env[name])
    .filter((t): t is string => !!t);
  if (!templates.length) return;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  for (const template of templates) await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await admin.end();
}
