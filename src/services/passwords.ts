import { dictionary } from '@zxcvbn-ts/language-common';
import { invalid } from './errors.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// ~49,000 most common passwords, from the zxcvbn-ts common dictionary.
const COMMON = new Set<string>((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Throws an error naming `field` when the password is too short, too long or well known. */
export function checkPasswordPolicy(password: string, field: string, email?: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) throw invalid(field, `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`);
  if (password.length > PASSWORD_MAX_LENGTH) throw invalid(field, `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) throw invalid(field, 'This password is on a list of commonly used passwords; choose another.');
  if (/^(.)\1+$/.test(password)) throw invalid(field, 'The password cannot be one character repeated.');
  const localPart = email?.toLowerCase().split('@')[0] ?? '';
  if (localPart.length >= 4 && lower.includes(localPart) && lower.length - localPart.length < 6) {
    throw invalid(field, 'The password is too close to the email address.');
  }
}
