/**
 * The NHS number's check digit (NHS Data Dictionary, modulus 11): the first nine digits are
 * weighted 10 down to 2 and summed; 11 less the remainder on dividing by 11 is the tenth digit,
 * where 11 stands for 0 and 10 means no number was ever issued with those nine digits.
 */
export function hasValidCheckDigit(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** 10 digits as the NHS prints them: 943 476 5919. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
