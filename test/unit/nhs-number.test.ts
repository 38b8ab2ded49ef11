import { describe, expect, it } from 'vitest';
import { checkDigitFor, formatNhsNumber, hasValidCheckDigit } from '../../src/people/nhs-number.js';
import { parseSearch } from '../../src/people/schemas.js';

describe('the NHS number check digit (modulus 11)', () => {
  it.each(['9434765919', '4857773457', '4010232137', '6328797966'])(
    'accepts %s, whose tenth digit is the check of the nine before it',
    (digits) => {
      expect(hasValidCheckDigit(digits)).toBe(true);
    },
  );

  it.each([
    ['9434765918', 'the last digit one out'],
    ['9434765991', 'two digits swapped'],
    ['1234567890', 'nine digits whose check would be 10, which is never issued'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943476591X', 'a letter'],
  ])('refuses %s: %s', (digits) => {
    expect(hasValidCheckDigit(digits)).toBe(false);
  });

  it('takes a remainder of 0 as a check digit of 0, not 11', () => {
    // 10×4 + 9×0 + 8×1 + 7×0 + 6×2 + 5×3 + 4×2 + 3×0 + 2×8 = 99, a multiple of 11.
    expect(hasValidCheckDigit('4010232080')).toBe(true);
    expect(hasValidCheckDigit('4010232081')).toBe(false);
  });

  it('gives the tenth digit for nine, and none where the remainder would make it 10', () => {
    // 9 4 3 4 7 6 5 9 1 weighted 10 down to 2: 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11-2 = 9.
    expect(checkDigitFor('943476591')).toBe('9');
    // 1 0 0 0 0 0 0 0 1 weighted: 10 + 2 = 12; 12 mod 11 = 1; 11-1 = 10: never issued.
    expect(checkDigitFor('100000001')).toBeUndefined();
  });

  it('prints the number in the NHS’s groups of 3, 3 and 4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});

describe('an NHS number in the people search box', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919'])('reads %s as an NHS number and nothing else', (typed) => {
    expect(parseSearch(typed)).toEqual({ terms: { words: [], nhsNumber: '9434765919' } });
  });

  it('reads 9 or 11 digits as something else, not an NHS number', () => {
    expect(parseSearch('943476591')).not.toHaveProperty('terms.nhsNumber');
    expect(parseSearch('94347659190')).not.toHaveProperty('terms.nhsNumber');
  });
});
