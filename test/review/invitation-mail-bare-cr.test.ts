import type { TestServer } from '../support/test-server';
import { startWorldServer, World } from '../fixtures/world';
import { CREATE_EXTERNAL_USER, SmtpCapture, startSmtpCapture } from '../fixtures/portal';

/**
 * Review finding: user names pass requiredText, which lets CR and LF through, and the invitation
 * text embeds the name. compose() (af0745d) sends that text "as written": it splits lines on
 * \r?\n only, so a lone CR reaches the SMTP DATA stream unencoded (RFC 5322 §2.3 forbids it), and
 * nodemailer dot-stuffs only after LF. A name containing "\r.\r\n" therefore puts <CR>.<CR><LF>
 * (an SMTP-smuggling end-of-data variant) on the wire, followed by whatever the org manager typed.
 * (nodemailer's ordinary path, used before, passes the lone CR through as well: not new, but
 * still open.) Fix: refuse CR/LF in one-line fields such as names, or drop lone CRs in compose().
 */
let server: TestServer;
let smtp: SmtpCapture;
let world: World;

const PORTAL_URL = 'https://portal.customer-facing.example.test/tenants/soc/thehive-portal/';

beforeAll(async () => {
  smtp = await startSmtpCapture();
  ({ server, world } = await startWorldServer({ smtpUrl: smtp.url, portalUrl: PORTAL_URL }));
});
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

describe('invitation e-mail', () => {
  it('R21: a user name cannot put a bare CR (and so <CR>.<CR><LF>) into the message sent to SMTP', async () => {
    const email = 'smuggle@example.test';
    const name = 'Eve\r.\r\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@example.test>\r\nDATA';
    const res = await server.client.request(CREATE_EXTERNAL_USER, { login: email, name, email, profile: 'external-actor' }, world.soc['org-admin']);
    if (res.errors?.length) {
      // Refusing such a name is an acceptable fix.
      expect(res.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
      return;
    }
    const mail = await smtp.waitFor((m) => m.to.includes(email));
    const bareCr = /\r(?!\n)/.exec(mail.raw);
    expect(bareCr ? JSON.stringify(mail.raw.slice(Math.max(0, bareCr.index - 20), bareCr.index + 40)) : null).toBeNull();
  });

  it('R21: a plain name still arrives intact (control for the test above)', async () => {
    const email = 'plain.name@example.test';
    const res = await server.client.request(
      CREATE_EXTERNAL_USER,
      { login: email, name: 'Plain Name', email, profile: 'external-actor' },
      world.soc['org-admin'],
    );
    expect(res.errors).toBeUndefined();
    const mail = await smtp.waitFor((m) => m.to.includes(email));
    expect(mail.text).toContain('Hello Plain Name,');
    expect(/\r(?!\n)/.test(mail.raw)).toBe(false);
  });
});
