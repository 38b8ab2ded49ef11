import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signInSchema } from '../../src/auth/schemas.js';
import { personSearchSchema } from '../../src/people/schemas.js';
import { hasControlCharacter, hasDirectionControl, isOnlyInvisible } from '../../src/text.js';
import {
  dateInput,
  optionalText,
  optionalTextarea,
  positiveId,
  realDate,
  requiredText,
  requiredTextarea,
  upToToday,
  versionField,
  yearsAround,
  yearsFromToday,
  yearsUpToToday,
} from '../../src/web/form-fields.js';
import { approveSchema } from '../../src/finance/schemas.js';
import { moneyField } from '../../src/web/money-field.js';
import { parseForm } from '../../src/web/validation.js';

const NUL = '\u0000';
const ZERO_WIDTH_SPACE = '\u200b';
const RIGHT_TO_LEFT_OVERRIDE = '\u202e';
const TODAY = '2026-06-15';
const birthRange = upToToday(TODAY, 'past', '1900-01-01');
const BEL = '\u0007';
const ESC = '\u001b';
const DEL = '\u007f';

function messagesOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('text fields refuse control characters', () => {
  for (const [name, character] of [
    ['NUL', NUL],
    ['BEL', BEL],
    ['ESC', ESC],
    ['DEL', DEL],
  ] as const) {
    it(`refuses ${name} in a one-line field and in a textarea, naming the field`, () => {
      expect(messagesOf(requiredText('family name').safeParse(`Smi${character}th`))).toEqual([
        'Family name must not include control characters',
      ]);
      expect(messagesOf(optionalText('who provides it', 200).safeParse(`Care${character}`))).toEqual([
        'Who provides it must not include control characters',
      ]);
      expect(messagesOf(requiredTextarea('the risk', 1000).safeParse(`Falls${character}\nat night`))).toEqual([
        'The risk must not include control characters',
      ]);
      expect(messagesOf(optionalTextarea('address', 300).safeParse(`1 Park Row${character}`))).toEqual([
        'Address must not include control characters',
      ]);
    });
  }

  it('allows tabs and line breaks in a textarea only', () => {
    const written = 'Falls at night.\r\n\tShe uses a frame.\nHer son visits.';
    expect(requiredTextarea('the risk', 1000).parse(written)).toBe(written);
    expect(optionalTextarea('address', 300).parse('1 Park Row\nLeeds')).toBe('1 Park Row\nLeeds');
    for (const inside of ['Ann\tSmith', 'Ann\nSmith', 'Ann\rSmith']) {
      expect(messagesOf(requiredText('family name').safeParse(inside))).toEqual(['Family name must not include control characters']);
    }
  });

  it('trims spaces, tabs and line breaks from the ends of a one-line field, as pasted from a spreadsheet', () => {
    expect(requiredText('family name').parse('  Smith\t\r\n')).toBe('Smith');
  });

  it('keeps accents, emoji, and Welsh, Polish and other names exactly as typed', () => {
    for (const name of [
      'Siân Llŷr',
      'Gwenllïan ap Rhys',
      'Łucja Wąsowska-Źrebiec',
      'Zoë O’Brien',
      'Nguyễn Thị Thu',
      'محمد',
      '王秀英',
      'Ana 🌻',
      'Ffion Ní Bhriain',
    ]) {
      expect(requiredText('family name').parse(name)).toBe(name);
      expect(optionalTextarea('the comment').parse(name)).toBe(name);
    }
  });

  it('still asks for an empty required field and counts characters as before', () => {
    expect(messagesOf(requiredText('family name').safeParse('   '))).toEqual(['Enter family name']);
    expect(messagesOf(requiredText('the team name', 60).safeParse('x'.repeat(61)))).toEqual([
      'The team name must be 60 characters or fewer',
    ]);
    expect(messagesOf(requiredText('family name').safeParse(undefined))).toEqual(['Enter family name']);
    expect(optionalText('who provides it', 200).parse(undefined)).toBe('');
  });

  it('finds exactly the C0 controls and DEL, and in a textarea all of them but tab, line feed and carriage return', () => {
    const code = (character: string) => character.charCodeAt(0);
    // Mostly ASCII and Latin-1, where the controls are, with any other character mixed in.
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xff }).map((value) => String.fromCharCode(value)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit }), (text) => {
        const characters = [...text];
        const control = (character: string) => code(character) < 0x20 || code(character) === 0x7f;
        expect(hasControlCharacter(text)).toBe(characters.some(control));
        expect(hasControlCharacter(text, { multiLine: true })).toBe(
          characters.some((character) => control(character) && !['\t', '\n', '\r'].includes(character)),
        );
      }),
    );
  });

  it('leaves C1 controls and other printable Unicode alone: PostgreSQL stores them and they are not C0', () => {
    expect(hasControlCharacter('\u0085\u00a0\u200b\u2028\ufeff')).toBe(false);
  });
});

describe('text that would read differently from what is stored', () => {
  const directionControls = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

  it('refuses each direction embedding, override and isolate character, in every kind of text field', () => {
    for (const character of directionControls) {
      expect(messagesOf(requiredText('family name').safeParse(`Smith${character}htims`))).toEqual([
        'Family name must not include characters that change the direction of the text',
      ]);
      expect(messagesOf(optionalTextarea('the comment').safeParse(`Paid ${character}0001 £`))).toEqual([
        'The comment must not include characters that change the direction of the text',
      ]);
      expect(messagesOf(moneyField('the weekly cost').safeParse(`${character}12.50`))).toEqual([
        'The weekly cost must not include characters that change the direction of the text',
      ]);
    }
    expect(directionControls.every(hasDirectionControl)).toBe(true);
  });

  it('keeps right-to-left names, which need no override characters, and the marks that only nudge punctuation', () => {
    for (const name of ['محمد', 'שרה כהן', 'Ann\u200f (RTL mark)']) expect(requiredText('family name').parse(name)).toBe(name);
    expect(hasDirectionControl('\u200e\u200f\u061c')).toBe(false);
  });

  it('refuses a name made only of zero-width characters, as it looks empty and cannot be found', () => {
    for (const invisible of [ZERO_WIDTH_SPACE, '\u200b\u200c\u200d', ' \u2060 ', '\u00ad', '\u200b\ufeff']) {
      expect(messagesOf(requiredText('family name').safeParse(invisible))).toEqual([
        'Family name must not be only invisible characters, such as zero-width spaces',
      ]);
      expect(messagesOf(optionalText('who provides it', 200).safeParse(invisible))).toEqual([
        'Who provides it must not be only invisible characters, such as zero-width spaces',
      ]);
    }
  });

  it('keeps joiners and non-joiners inside words, where they are part of the writing', () => {
    for (const text of ['👩\u200d👩\u200d👧', 'می\u200cخواهم', 'Ann\u200bSmith']) {
      expect(requiredText('family name').parse(text)).toBe(text);
      expect(isOnlyInvisible(text)).toBe(false);
    }
    // A byte order mark alone is trimmed away like a space: the field is empty, not invisible.
    expect(messagesOf(requiredText('family name').safeParse('\ufeff'))).toEqual(['Enter family name']);
    expect(isOnlyInvisible('')).toBe(false);
  });

  it('refuses zero-width and direction characters in the boxes of a date input', () => {
    const approvalStart = dateInput('the start date', yearsAround(TODAY, 2, 2));
    expect(messagesOf(approvalStart.safeParse({ day: ZERO_WIDTH_SPACE, month: '7', year: '2026' }))).toEqual([
      'The start date must not be only invisible characters, such as zero-width spaces',
    ]);
    expect(messagesOf(approvalStart.safeParse({ day: '1', month: '7', year: `${RIGHT_TO_LEFT_OVERRIDE}2026` }))).toEqual([
      'The start date must not include characters that change the direction of the text',
    ]);
  });
});

describe('every date field has a range, and says what it is', () => {
  it('takes a date of birth from 1 January 1900 up to yesterday', () => {
    const dateOfBirth = dateInput('date of birth', birthRange);
    expect(dateOfBirth.parse({ day: '1', month: '1', year: '1900' })).toBe('1900-01-01');
    expect(dateOfBirth.parse({ day: '14', month: '6', year: '2026' })).toBe('2026-06-14');
    expect(messagesOf(dateOfBirth.safeParse({ day: '31', month: '12', year: '1899' }))).toEqual([
      'Date of birth must be 1 January 1900 or later',
    ]);
    expect(messagesOf(dateOfBirth.safeParse({ day: '15', month: '6', year: '2026' }))).toEqual(['Date of birth must be in the past']);
    expect(messagesOf(dateOfBirth.safeParse({ day: '1', month: '1', year: '0001' }))).toEqual([
      'Date of birth must be 1 January 1900 or later',
    ]);
  });

  it('takes a review date from two years ago up to today', () => {
    const reviewDate = dateInput('the review date', yearsUpToToday(TODAY, 2));
    expect(reviewDate.parse({ day: '15', month: '6', year: '2026' })).toBe('2026-06-15');
    expect(reviewDate.parse({ day: '15', month: '6', year: '2024' })).toBe('2024-06-15');
    expect(messagesOf(reviewDate.safeParse({ day: '16', month: '6', year: '2026' }))).toEqual([
      'The review date must be today or in the past',
    ]);
    expect(messagesOf(reviewDate.safeParse({ day: '14', month: '6', year: '2024' }))).toEqual([
      'The review date must be 15 June 2024 or later',
    ]);
  });

  it('takes the date an unplanned review is due from today up to two years ahead', () => {
    const dueDate = dateInput('the date the review is due', yearsFromToday(TODAY, 2));
    expect(dueDate.parse({ day: '15', month: '6', year: '2026' })).toBe('2026-06-15');
    expect(messagesOf(dueDate.safeParse({ day: '14', month: '6', year: '2026' }))).toEqual([
      'The date the review is due must be today or in the future',
    ]);
    expect(messagesOf(dueDate.safeParse({ day: '16', month: '6', year: '2028' }))).toEqual([
      'The date the review is due must be 15 June 2028 or earlier',
    ]);
  });

  it('refuses an approval start date in 1900 or 9999, naming the dates it may be between', () => {
    const approve = approveSchema(21_000, TODAY);
    for (const year of ['1900', '9999']) {
      const result = approve.safeParse({ startDate: { day: '1', month: '7', year }, version: '1' });
      expect(messagesOf(result)).toEqual(['The start date must be between 15 June 2024 and 15 June 2028']);
    }
    expect(approve.parse({ startDate: { day: '1', month: '7', year: '2026' }, version: '1' }).startDate).toBe('2026-07-01');
  });

  it('counts years from 29 February to 28 February in a year without one', () => {
    expect(yearsAround('2028-02-29', 1, 2)).toEqual({ earliest: '2027-02-28', latest: '2030-02-28' });
    expect(yearsAround('2028-02-29', 4, 4)).toEqual({ earliest: '2024-02-29', latest: '2032-02-29' });
  });

  it('still says a date that does not exist is not a real date, before any range', () => {
    expect(messagesOf(dateInput('the start date', yearsAround(TODAY, 2, 2)).safeParse({ day: '30', month: '2', year: '2026' }))).toEqual([
      'The start date must be a real date',
    ]);
  });
});

describe('other user input that reaches the database', () => {
  it('refuses a NUL in the sign-in email or password with a message, not a query', () => {
    const form = parseForm(signInSchema, { email: `someone${NUL}@example.gov.uk`, password: `pass${NUL}word` });
    expect(form.ok).toBe(false);
    if (form.ok) return;
    expect(form.errors.fields).toEqual({
      email: 'Email address must not include control characters',
      password: 'Password must not include control characters',
    });
  });

  it('refuses a control character in a money box by name', () => {
    expect(messagesOf(moneyField('the weekly cost').safeParse(`12${NUL}.50`))).toEqual([
      'The weekly cost must not include control characters',
    ]);
  });

  it('refuses a control character in any box of a date input, for the whole date', () => {
    expect(messagesOf(dateInput('date of birth', birthRange).safeParse({ day: `4${NUL}`, month: '11', year: '1950' }))).toEqual([
      'Date of birth must not include control characters',
    ]);
  });

  it('refuses ids and versions larger than a PostgreSQL integer, which would fail the query', () => {
    expect(messagesOf(positiveId('Select a worker').safeParse('2147483648'))).toEqual(['Select a worker']);
    expect(positiveId('Select a worker').parse('2147483647')).toBe(2147483647);
    expect(versionField.safeParse('99999999999').success).toBe(false);
  });
});

describe('real dates', () => {
  it('accepts days that exist and refuses those that do not', () => {
    expect(realDate('2024', '2', '29')).toBe('2024-02-29');
    expect(realDate('1938', '3', '14')).toBe('1938-03-14');
    expect(realDate('2023', '2', '29')).toBeUndefined();
    expect(realDate('2026', '2', '30')).toBeUndefined();
    expect(realDate('2020', '13', '1')).toBeUndefined();
    expect(realDate('2020', '0', '1')).toBeUndefined();
    expect(realDate('0000', '1', '1')).toBeUndefined();
  });
});

describe('the people search box', () => {
  it('reads a real date of birth, a council reference or a name', () => {
    expect(personSearchSchema.parse({ q: '4/11/1950' }).terms).toEqual({ words: [], dateOfBirth: '1950-11-04' });
    expect(personSearchSchema.parse({ q: '1950-11-04' }).terms).toEqual({ words: [], dateOfBirth: '1950-11-04' });
    expect(personSearchSchema.parse({ q: '29/2/2024' }).terms).toEqual({ words: [], dateOfBirth: '2024-02-29' });
    expect(personSearchSchema.parse({ q: 'sd-01001' }).terms).toEqual({ words: ['sd-01001'], reference: 'SD-01001' });
    expect(personSearchSchema.parse({ q: ' ann smi ' }).terms).toEqual({ words: ['ann', 'smi'] });
    expect(personSearchSchema.parse({}).terms).toBeUndefined();
  });

  for (const q of ['2026-02-30', '31/02/2020', '1/13/2020', '29/02/2023']) {
    it(`says ${q} is not a real date rather than searching for it`, () => {
      const form = parseForm(personSearchSchema, { q });
      expect(form.ok).toBe(false);
      if (form.ok) return;
      expect(form.errors.fields.q).toBe(
        `${q} is not a real date: enter a date of birth like 14/3/1938, or a name, council reference or postcode`,
      );
      expect(form.errors.summary[0]?.href).toBe('#q');
    });
  }

  it('refuses a control character in the search box with a message', () => {
    const form = parseForm(personSearchSchema, { q: `a${NUL}b` });
    expect(form.ok ? undefined : form.errors.fields.q).toBe('The search must not include control characters');
  });

  it('ignores a team number too large to be a team instead of failing the query', () => {
    expect(personSearchSchema.parse({ team: '99999999999' }).team).toBeUndefined();
  });
});
