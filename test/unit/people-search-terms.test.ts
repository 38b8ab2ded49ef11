import { describe, expect, it } from 'vitest';
import { pastEveryStartOf } from '../../src/people/repo.js';
import { findsNobody, parseSearch } from '../../src/people/schemas.js';

describe('reading the people search box', () => {
  const dateForms = [
    '14/3/1938',
    '14/03/1938',
    '14 3 1938',
    '14-3-1938',
    '14.3.1938',
    '14 / 3 / 1938',
    '14 March 1938',
    '14 march 1938',
    '14 Mar 1938',
    '14th Mar. 1938',
    '14 MARCH, 1938',
    '1938-03-14',
    '1938-3-14',
  ];
  for (const typed of dateForms) {
    it(`reads "${typed}" as the date of birth 14 March 1938 and nothing else`, () => {
      expect(parseSearch(typed)).toEqual({ terms: { words: [], dateOfBirth: '1938-03-14' } });
    });
  }

  it('reads the shortened names of every month, and not a word that only looks like one', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
    months.forEach((month, index) => {
      expect(parseSearch(`1 ${month} 2000`)).toEqual({
        terms: { words: [], dateOfBirth: `2000-${String(index + 1).padStart(2, '0')}-01` },
      });
    });
    expect(parseSearch('1 Mayfield 2000')).toEqual({ terms: { words: ['1', 'mayfield', '2000'] } });
  });

  it('reads a day before the month, as in England: 4/11/1950 is 4 November', () => {
    expect(parseSearch('4/11/1950')).toEqual({ terms: { words: [], dateOfBirth: '1950-11-04' } });
  });

  for (const typed of ['31/02/2020', '1/13/2020', '2026-02-30', '29/02/2023', '31 April 2020', '0/1/2020', '14/3/0000']) {
    it(`points out that ${typed} is not a real date rather than searching for it`, () => {
      expect(parseSearch(typed)).toEqual({ notARealDate: typed });
    });
  }

  it('names only the impossible date when a name was typed with it', () => {
    expect(parseSearch('Whitfield 30/2/1938')).toEqual({ notARealDate: '30/2/1938' });
  });

  it('takes a name and a date of birth typed together, in either order', () => {
    const expected = { terms: { words: ['doris', 'whitfield'], dateOfBirth: '1938-03-14' } };
    expect(parseSearch('Doris Whitfield 14/3/1938')).toEqual(expected);
    expect(parseSearch('14 Mar 1938 Doris Whitfield')).toEqual(expected);
  });

  it('reads a name given first or family first, with or without a comma, as the same words', () => {
    expect(parseSearch('Doris Whitfield')).toEqual({ terms: { words: ['doris', 'whitfield'] } });
    expect(parseSearch('Whitfield, Doris')).toEqual({ terms: { words: ['whitfield', 'doris'] } });
    expect(parseSearch('Whitfield,Doris')).toEqual({ terms: { words: ['whitfield', 'doris'] } });
    expect(parseSearch('  WHITFIELD   doris ')).toEqual({ terms: { words: ['whitfield', 'doris'] } });
  });

  it("keeps hyphens and apostrophes inside a name: O'Brien, Lloyd-Jones", () => {
    expect(parseSearch("Mary O'Brien Lloyd-Jones")).toEqual({ terms: { words: ['mary', "o'brien", 'lloyd-jones'] } });
  });

  it('also tries a single word shaped like a council reference as one, in upper case', () => {
    expect(parseSearch('sd-00123')).toEqual({ terms: { words: ['sd-00123'], reference: 'SD-00123' } });
    expect(parseSearch('Okafor')).toEqual({ terms: { words: ['okafor'], reference: 'OKAFOR' } });
    expect(parseSearch('Ann Smith')).toEqual({ terms: { words: ['ann', 'smith'] } });
    expect(parseSearch('Al')).toEqual({ terms: { words: ['al'] } });
  });

  it('does not read a date out of a longer run of digits or a word', () => {
    expect(parseSearch('114/3/1938')).toEqual({ terms: { words: ['114/3/1938'] } });
    expect(parseSearch('14/3/19381')).toEqual({ terms: { words: ['14/3/19381'] } });
    expect(parseSearch('x14/3/1938')).toEqual({ terms: { words: ['x14/3/1938'] } });
  });

  it('drops words with no letter or digit in them, so punctuation alone finds nobody', () => {
    expect(parseSearch("Ann % _ ' -- Smith")).toEqual({ terms: { words: ['ann', 'smith'] } });
    const parsed = parseSearch("%%% ' ; --");
    expect(parsed).toEqual({ terms: { words: [] } });
    expect('terms' in parsed && findsNobody(parsed.terms)).toBe(true);
  });

  it('keeps hostile text as words to look for, never as anything else', () => {
    expect(parseSearch("Robert'); drop table people;--")).toEqual({ terms: { words: ["robert');", 'drop', 'table', 'people;--'] } });
  });

  it('looks for at most six words: more only slow the query down', () => {
    expect(parseSearch('a b c d e f g h')).toEqual({ terms: { words: ['a', 'b', 'c', 'd', 'e', 'f'] } });
  });

  it('finds somebody with a date of birth alone, or with a word, but not with nothing', () => {
    expect(findsNobody({ words: [], dateOfBirth: '1938-03-14' })).toBe(false);
    expect(findsNobody({ words: ['ann'] })).toBe(false);
    expect(findsNobody({ words: [] })).toBe(true);
  });

  for (const typed of ['LS1 4AP', 'ls14ap', 'Ls1  4aP', 'LS14AP']) {
    it(`reads "${typed}" as the postcode LS1 4AP, however it is spaced or written`, () => {
      expect(parseSearch(typed)).toEqual({ terms: { words: [], postcode: 'LS14AP' } });
    });
  }

  it('reads a postcode beside a name, and leaves a postcode-like run inside a word or reference as words', () => {
    expect(parseSearch('Doris sw1a 2aa')).toEqual({ terms: { words: ['doris'], postcode: 'SW1A2AA' } });
    expect(parseSearch('xLS14AP')).toEqual({ terms: { words: ['xls14ap'], reference: 'XLS14AP' } });
    expect(parseSearch('SD-LS14AP')).toEqual({ terms: { words: ['sd-ls14ap'], reference: 'SD-LS14AP' } });
  });

  it('finds somebody with a postcode alone', () => {
    expect(findsNobody({ words: [], postcode: 'LS14AP' })).toBe(false);
  });
});

describe('the end of the range of names that start with a word', () => {
  it('is the word with its last character moved on by one, so every name starting with it comes before', () => {
    expect(pastEveryStartOf('pike')).toBe('pikf');
    expect(pastEveryStartOf('seán')).toBe('seáo');
    expect(pastEveryStartOf('o’')).toBe('o‚');
    // Past the last character before UTF-16's surrogates is the first character after them.
    expect(pastEveryStartOf('a\u{d7ff}')).toBe('a\u{e000}');
    // A character outside the first 65,536 is one character, not two halves.
    expect(pastEveryStartOf('a\u{1f600}')).toBe('a\u{1f601}');
  });

  it('is none for nothing typed, or after the last character there is', () => {
    expect(pastEveryStartOf('')).toBeUndefined();
    expect(pastEveryStartOf('a\u{10ffff}')).toBeUndefined();
  });
});
