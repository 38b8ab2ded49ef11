import { randomInt } from 'node:crypto';

/**
 * Access codes are read off a letter and typed on a phone: capitals and digits only, without the
 * ones people mix up (0 and O, 1 and I), 12 of them for 60 random bits, shown in three groups of four.
 */
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 12;

export function newAccessCode(): string {
  return Array.from({ length: LENGTH }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** As printed on the letter: ABCD-EFGH-JKLM. */
export function accessCodeInGroups(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** What was typed, as the code is kept: spaces and hyphens dropped, letters made capitals. */
export function normaliseAccessCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase();
}
