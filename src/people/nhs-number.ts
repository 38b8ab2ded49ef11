/**
 * The NHS number's check digit (NHS Data Dictionary, modulus 11): the first nine digits are
 * weighted 10 down to 2 and summed; 11 less the remainder on dividing by 11 is the tenth digit,
 * where 11 stands for 0 and 10 means no number was ever issued with those nine digits.
 */
export function hasValidCheckDigit(digits: string): boolean {
  return /^\d{10}$/.test(digits) && checkDigitFor(digits.slice(0, 9)) === digits[9];
}

/** The tenth digit that goes with nine, or undefined where no number was ever issued with them. */
export function checkDigitFor(nineDigits: string): string | undefined {
  const sum = [...nineDigits].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return String(check === 11 ? 0 : check);
}

/** 10 digits as the NHS prints them: 943 476 5919. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
