import nodemailer, { SendMailOptions } from 'nodemailer';
import MimeNode from 'nodemailer/lib/mime-node';
import type { Config } from '../../config';
import type { Logger } from '../../logger';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when e-mail is disabled (no SMTP_URL): the caller keeps what it needs to resend later. */
  send(mail: Mail): Promise<boolean>;
  close(): void;
}

/** SMTP through nodemailer when SMTP_URL is set; otherwise a mailer that says e-mail is disabled. */
export function createMailer(config: Config, logger: Logger): Mailer {
  if (!config.smtpUrl) {
    logger.info('e-mail is disabled (no SMTP_URL): invitations can be re-sent with resendInvitation once it is set');
    return {
      async send(mail) {
        logger.warn({ to: mail.to, subject: mail.subject }, 'e-mail disabled: message not sent');
        return false;
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail(compose(config.mailFrom, mail));
      logger.info({ to: mail.to, subject: mail.subject }, 'e-mail sent');
      return true;
    },
    close() {
      transport.close();
    },
  };
}

/** RFC 5322 §2.1.1: a line of a message is at most 998 octets, CRLF excluded. */
const MAX_LINE_OCTETS = 998;

/**
 * The message as sent. nodemailer encodes any text with a line over 76 characters as
 * quoted-printable (whatever Content-Transfer-Encoding is asked for), which cuts links with soft
 * line breaks and turns `=` into `=3D`: a client reading the raw message for the invitation link
 * would not find it. So text whose lines fit SMTP's own limit is sent as written — 7bit when ASCII,
 * 8bit (UTF-8, as the part says) when a name in it is not — as a raw message whose header block
 * nodemailer still builds (encoded words, Date, Message-ID). nodemailer sets the transfer encoding
 * only for a body it holds, so a node without one keeps ours. Longer lines need an encoding: those
 * texts go the ordinary way.
 */
export function compose(from: string, mail: Mail): SendMailOptions {
  // Every line break becomes CRLF: a lone CR or LF never reaches the DATA stream (RFC 5322 §2.3; no <CR>.<CR><LF> tricks).
  const lines = mail.text.split(/\r\n|\r|\n/);
  if (lines.some((line) => Buffer.byteLength(line, 'utf8') > MAX_LINE_OCTETS)) return { from, ...mail };
  const head = new MimeNode('text/plain; charset=utf-8');
  head.setHeader({
    From: from,
    To: mail.to,
    Subject: mail.subject,
    // eslint-disable-next-line no-control-regex
    'Content-Transfer-Encoding': /^[\x00-\x7f]*$/.test(mail.text) ? '7bit' : '8bit',
  });
  return { envelope: head.getEnvelope(), raw: `${head.buildHeaders()}\r\n\r\n${lines.join('\r\n')}` };
}
