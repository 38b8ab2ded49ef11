import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/**
 * RFC 6238 codes as every authenticator app makes them: SHA-1, 6 digits, 30 seconds. A code
 * from the step before or after is accepted too, for a phone clock a little out.
 */
const totpSettings = { issuer: 'Selfdirect', algorithm: 'SHA1', digits: 6, period: 30 } as const;

function totpFor(secret: string, label = 'staff'): TOTP {
  return new TOTP({ ...totpSettings, label, secret: Secret.fromBase32(secret) });
}

/** 160 random bits, as RFC 4226 recommends, in the base32 an app's "enter a setup key" expects. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * Checked against the real time, not the app's clock: the code comes from a phone that
 * knows only the real time, whatever date a test sets for the council's business.
 */
export function codeMatches(secret: string, code: string): boolean {
  return totpFor(secret).validate({ token: code, window: 1 }) !== null;
}

export function currentCode(secret: string, at = Date.now()): string {
  return totpFor(secret).generate({ timestamp: at });
}

export function setUpKeyInGroups(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** The QR code an authenticator app scans, as SVG so it needs no image route and stays sharp. */
export function qrCodeSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpFor(secret, email).toString(), { type: 'svg', width: 200, margin: 2, errorCorrectionLevel: 'M' });
}

export const RECOVERY_CODE_COUNT = 10;
// Without 0/O, 1/I/L and U, so a code copied by hand off paper is read back the same.
const recoveryAlphabet = 'abcdefghjkmnpqrstvwxyz23456789';

/** Ten codes of 10 characters (about 49 bits each): guessing one within the code step's limit is hopeless. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const characters = Array.from({ length: 10 }, () => recoveryAlphabet[randomInt(recoveryAlphabet.length)]).join('');
    return `${characters.slice(0, 5)}-${characters.slice(5)}`;
  });
}

/** People type codes with spaces, capitals or without the hyphen; the stored form is one. */
export function normaliseRecoveryCode(typed: string): string {
  const characters = typed.toLowerCase().replace(/[\s-]/g, '');
  return `${characters.slice(0, 5)}-${characters.slice(5)}`;
}

export const isAuthenticatorCode = (typed: string) => /^\d{6}$/.test(typed.replace(/\s/g, ''));
