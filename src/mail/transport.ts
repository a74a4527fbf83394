import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailSender {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** SMTP delivery through nodemailer; `smtpUrl` is smtp://user:pass@host:port or smtps://… */
export function smtpSender(smtpUrl: string, from: string): MailSender {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}

/** The From address: MAIL_FROM, or no-reply at the public host. */
export function defaultFromAddress(publicUrl: string): string {
  return `Autolog <no-reply@${new URL(publicUrl).hostname}>`;
}
