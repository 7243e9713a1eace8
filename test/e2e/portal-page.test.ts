import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { addComment, attach, createCase, CREATE_EXTERNAL_USER, grant, inviteExternalUser, PORTAL_PASSWORD } from '../fixtures/portal';
import { useWorldWithSmtp } from '../support/use-world';
import { portalPageDir } from '../../src/portal-page';

/**
 * The portal web page in a real browser (Debian's chromium driven by playwright-core), on the real
 * server: the invitation link e-mailed to the test's SMTP server is opened in the browser (R21),
 * and the page shows exactly what the portal API shows (R23–R27). Screenshots for the README are
 * written to docs/screenshots/ when PORTAL_SCREENSHOTS=1.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does)`);
if (!fs.existsSync(path.join(portalPageDir(), 'index.html'))) throw new Error('the portal page is not built: run "npm run build" first');

const MAX_UPLOAD = 64 * 1024;
const { server, world, smtp } = useWorldWithSmtp({ maxUploadBytes: MAX_UPLOAD });
const SHOTS = process.env.PORTAL_SCREENSHOTS === '1' ? path.join(__dirname, '../../docs/screenshots') : undefined;
const SECRETS = ['INTERNAL-ONLY comment', 'internal-only.txt', 'internal-only.example'];
const handler = () => world.soc['incident-handler'];

let browser: Browser;
let page: Page;
let caseId: string;
/** Console errors (a CSP violation is one) and failed same-origin requests of every page. */
const problems: string[] = [];
/** Serious or critical axe violations per page (expected: none). */
const axe: Record<string, { violations: number; serious: string[] }> = {};

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width, height: 900 } });
  ctx.setDefaultTimeout(8000);
  const p = await ctx.newPage();
  p.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
  });
  p.on('pageerror', (e) => problems.push(e.message));
  return { context: ctx, page: p };
}

/** axe-core on the page as it is now: zero serious or critical violations. */
async function checkAxe(p: Page, name: string) {
  const result = await new AxeBuilder({ page: p }).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  axe[name] = { violations: result.violations.length, serious };
  expect(serious).toEqual([]);
}

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const heading = (p: Page) => p.getByRole('heading', { level: 1 });

beforeAll(async () => {
  // The e-mailed link must lead to this server's page.
  server.config.portalUrl = `${server.url}/portal`;
  browser = await chromium.launch({ executablePath: CHROMIUM });
  ({ page } = await newPage());
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });

  // A case granted to the client with external and internal items side by side.
  caseId = await createCase(server, handler(), 'Phishing wave against finance', { description: 'Several employees received a fake invoice.' });
  await addComment(server, handler(), caseId, 'We blocked the sender domain.', true);
  await addComment(server, handler(), caseId, 'INTERNAL-ONLY comment: suspect insider', false);
  await attach(server, handler(), caseId, { name: 'report.txt', content: 'the external report', type: 'text/plain' }, true);
  await attach(server, handler(), caseId, { name: 'internal-only.txt', content: 'internal notes', type: 'text/plain' }, false);
  await server.client.ok(
    'mutation($c: ID!, $i: CreateObservableInput!) { createObservable(caseId: $c, input: $i) { id } }',
    { c: caseId, i: { dataType: 'domain', data: 'internal-only.example' } },
    handler(),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (Object.keys(axe).length) {
    // eslint-disable-next-line no-console
    console.log(
      `axe (violations total / serious): ${Object.entries(axe)
        .map(([k, v]) => `${k} ${v.violations}/${v.serious.length}`)
        .join(', ')}`,
    );
  }
});

describe('portal page', () => {
  it('R21: the invitation link from the e-mail sets the password (rules shown, errors inline) and lands logged in', async () => {
    await server.client.ok(
      CREATE_EXTERNAL_USER,
      { login: 'client@example.test', name: 'Casey Client', email: 'client@example.test', profile: 'external-actor' },
      world.soc['org-admin'],
    );
    await grant(server, handler(), caseId, 'client@example.test');
    const mail = await smtp.waitFor((m) => m.to.includes('client@example.test'));
    const link = mail.text.split(/\r?\n/).find((l) => l.startsWith(`${server.url}/portal/invitation?token=`));
    expect(link).toBeDefined();
    const res = await page.goto(link!.trim());
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(heading(page).textContent()).resolves.toBe('Accept your invitation');
    expect(await page.getByText('at least 8 characters').isVisible()).toBe(true);
    await checkAxe(page, 'invitation');
    await shot(page, 'invitation');
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('at least 8 characters');
    await page.getByLabel('New password').fill(PORTAL_PASSWORD);
    await page.getByLabel('Repeat the password').fill(PORTAL_PASSWORD);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
    expect(new URL(page.url()).search).toBe(''); // the spent token leaves the address bar
  });

  it('R23: the case list shows the granted case with status, severity and last update', async () => {
    const row = page.getByRole('row', { name: /Phishing wave against finance/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/New.*Medium/);
    await expect(page.getByRole('link', { name: 'Report a new case' }).isVisible()).resolves.toBe(true);
    await checkAxe(page, 'cases');
    await shot(page, 'cases');
  });

  it('R24/R25: the case page shows exactly the external items: external comment with author, external attachment, no internal item', async () => {
    await page.getByRole('link', { name: /Phishing wave against finance/ }).click();
    await page.getByRole('heading', { name: /Phishing wave against finance/ }).waitFor();
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('Several employees received a fake invoice.');
    expect(text).toContain('We blocked the sender domain.');
    expect(text).toContain('report.txt');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    await expect(page.locator('.comment .by strong').first().textContent()).resolves.toBe('soc');
    await checkAxe(page, 'case');
  });

  it('R26: adds a comment (shown last, by the client), an observable from the list, and uploads with drag-and-drop', async () => {
    await page.getByLabel('Add a comment').fill('We saw two more mails this morning.');
    await page.getByRole('button', { name: 'Send comment' }).click();
    const last = page.locator('.comment').last();
    await last.getByText('We saw two more mails this morning.').waitFor();
    await expect(last.locator('strong').textContent()).resolves.toBe('Casey Client');

    await page.getByLabel('Type').selectOption('mail');
    await page.getByLabel('Value').fill('billing@evil.example');
    await page.getByRole('button', { name: 'Add observable' }).click();
    await page.getByRole('cell', { name: 'billing@evil.example' }).waitFor();

    await page.getByLabel('Attach a file').setInputFiles({ name: 'headers.txt', mimeType: 'text/plain', buffer: Buffer.from('Received: from evil.example') });
    await page.getByRole('button', { name: 'Download headers.txt' }).waitFor();
    const drop = await page.evaluateHandle(() => {
      // Runs in the browser (the test's own tsconfig has no DOM types).
      const w = globalThis as any;
      const dt = new w.DataTransfer();
      dt.items.add(new w.File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.dispatchEvent('.dropzone', 'drop', { dataTransfer: drop });
    await page.getByRole('button', { name: 'Download dropped.txt' }).waitFor();
    const rows = await server.sql(
      "SELECT name, external, via_portal FROM attachment WHERE case_id = $1 AND name IN ('headers.txt', 'dropped.txt') ORDER BY name",
      [caseId],
    );
    expect(rows).toEqual([
      { name: 'dropped.txt', external: true, via_portal: true },
      { name: 'headers.txt', external: true, via_portal: true },
    ]);
    await shot(page, 'case');
  });

  it('R26: a file over the size limit is refused on the page with a clear message, before any byte is sent', async () => {
    await page.getByLabel('Attach a file').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_UPLOAD + 1) });
    await expect(page.getByRole('alert').textContent()).resolves.toContain('big.bin is 64.0 KB: files up to 64.0 KB can be attached.');
    expect(await server.sql("SELECT 1 FROM attachment WHERE name = 'big.bin'")).toHaveLength(0);
  });

  it('downloads an attachment with the token in a header (never in the URL)', async () => {
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report.txt' }).click()]);
    expect(download.suggestedFilename()).toBe('report.txt');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toBe('the external report');
    expect(urls.filter((u) => u.includes('/attachments/'))).toHaveLength(1);
    expect(urls.some((u) => /token|bearer/i.test(u))).toBe(false);
  });

  it('R26: reports a new case and lands on it; at 360 px the list stays usable', async () => {
    await page.getByRole('link', { name: '← My cases' }).click();
    await page.getByRole('link', { name: 'Report a new case' }).click();
    await page.getByRole('heading', { name: 'Report a new case' }).waitFor();
    await checkAxe(page, 'new-case');
    await shot(page, 'new-case');
    await page.getByLabel('Title').fill('Suspicious login from abroad');
    await page.getByLabel('Description').fill('Seen on the VPN at 03:12.');
    await page.getByLabel('Severity').selectOption({ label: 'High' });
    await page.getByRole('button', { name: 'Report the case' }).click();
    await page.getByRole('heading', { name: /Suspicious login from abroad/ }).waitFor();
    await page.getByRole('link', { name: '← My cases' }).click();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByRole('link', { name: /Suspicious login from abroad/ }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(360);
    await checkAxe(page, 'cases-360px');
    await shot(page, 'cases-360px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('logs out to the login page; logs in again through the form', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.goto(`${server.url}/portal/`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('Login').fill('client@example.test');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong login or password.');
    await checkAxe(page, 'login');
    await shot(page, 'login');
    await page.getByLabel('Password').fill(PORTAL_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
  });

  it('an expired session sends the user to the login page with a message, never a blank page', async () => {
    await server.sql(
      "UPDATE credential SET expires_at = now() - interval '1 second' WHERE kind = 'SESSION' AND user_id = (SELECT id FROM app_user WHERE login = 'client@example.test')",
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Your session has expired. Please log in again.');
  });

  it('R26: a reader profile is offered no write control at all', async () => {
    const reader = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'reader@example.test', { name: 'Rita Reader', profile: 'external-reader' });
    await grant(server, handler(), caseId, reader.login);
    // What the page reads to decide which controls to offer: the caller's own portal permissions only.
    expect((await server.client.ok('{ me { permissions } }', {}, reader, 'portal')).me.permissions).toEqual([]);
    const { context: readerContext, page: p } = await newPage();
    try {
      await p.goto(`${server.url}/portal/`);
      await p.getByLabel('Login').fill(reader.login);
      await p.getByLabel('Password').fill(PORTAL_PASSWORD);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.getByRole('heading', { name: 'My cases' }).waitFor();
      expect(await p.getByRole('link', { name: 'Report a new case' }).count()).toBe(0);
      await p.getByRole('link', { name: /Phishing wave against finance/ }).click();
      await p.getByRole('heading', { name: /Phishing wave against finance/ }).waitFor();
      expect(await p.locator('main').textContent()).toContain('We saw two more mails this morning.');
      expect(await p.locator('main textarea, main input, main select, main form').count()).toBe(0);
      expect(await p.getByRole('button', { name: /Download report.txt/ }).count()).toBe(1);
      await checkAxe(p, 'case-reader');
      await shot(p, 'case-reader');
    } finally {
      await readerContext.close();
    }
  });

  it('no console error and no CSP violation on any page', () => {
    expect(problems).toEqual([]);
  });
});
