import nodemailer from 'nodemailer';
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
      await transport.sendMail({ from: config.mailFrom, ...mail });
      logger.info({ to: mail.to, subject: mail.subject }, 'e-mail sent');
      return true;
    },
    close() {
      transport.close();
    },
  };
}
