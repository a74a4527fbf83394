/**
 * The follow-up emails (invitation and reminders), as a small message catalogue ready for
 * translation like the survey page's (pages/survey/messages.ts). Plain text: it survives every
 * mail client and carries one link.
 */
export interface FollowUpMailInput {
  clinicName: string;
  contactText: string | null;
  givenName: string;
  timePointLabel: string;
  /** last day the link works, 'YYYY-MM-DD' */
  windowEndOn: string;
  link: string;
  minutes: number;
  /** 0 = invitation, 1… = reminders */
  sendNumber: number;
  language: string | null;
}

const CATALOGUE = {
  en: {
    subjectInvitation: (m: FollowUpMailInput) => `${m.clinicName}: your ${m.timePointLabel.toLowerCase()} questions about your back`,
    subjectReminder: (m: FollowUpMailInput) => `Reminder from ${m.clinicName}: your ${m.timePointLabel.toLowerCase()} questions`,
    greeting: (m: FollowUpMailInput) => `Dear ${m.givenName},`,
    invitation: (m: FollowUpMailInput) =>
      `${m.clinicName} asks every patient the same short questions before and after treatment. Your answers show you and your clinician how you are doing, and help the clinic learn which treatments work.`,
    reminder: () => 'A gentle reminder: your questions are still waiting for you. If you have already answered them, thank you, and please ignore this email.',
    howLong: (m: FollowUpMailInput) => `It takes about ${m.minutes} minute${m.minutes === 1 ? '' : 's'}. You can stop part-way and come back later with the same link. Please answer by ${formatDate(m.windowEndOn, 'en-GB')}:`,
    personal: () => 'This link is personal to you: please do not forward this email.',
    optOut: () => 'If you would rather not answer these questions, you can say so from the same link; it will not affect your care.',
    contact: (m: FollowUpMailInput) => (m.contactText ? `Questions? ${m.contactText}` : ''),
  },
} as const;

function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
}

export function followUpMail(m: FollowUpMailInput): { subject: string; text: string } {
  const t = CATALOGUE[(m.language?.slice(0, 2) ?? 'en') as keyof typeof CATALOGUE] ?? CATALOGUE.en;
  const subject = m.sendNumber === 0 ? t.subjectInvitation(m) : t.subjectReminder(m);
  const text = [
    t.greeting(m), '',
    m.sendNumber === 0 ? t.invitation(m) : t.reminder(), '',
    t.howLong(m), '', m.link, '',
    t.personal(), t.optOut(), '',
    t.contact(m), m.clinicName,
  ].join('\n').replace(/\n{3,}/g, '\n\n');
  return { subject, text };
}
