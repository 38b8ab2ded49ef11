import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { viewsDir } from '../../src/web/static.js';
import type { TableCell } from '../../src/web/view-models.js';
import { ejsEngine } from '../../src/web/views.js';

const engine = ejsEngine();

function draw(file: string, locals: object): string {
  let html = '';
  engine(path.join(viewsDir, 'partials', file), { ...locals, csrfToken: 'token', cache: true }, (error, drawn) => {
    if (error) throw error;
    html = drawn ?? '';
  });
  return html;
}

/** What a table's second cell holds: the first is a row header in a sortable table. */
function secondCell(html: string): string {
  const [, inside] =
    /<tr class="govuk-table__row">\s*<t[hd][^>]*>[\s\S]*?<\/t[hd]>\s*<td[^>]*>([\s\S]*?)<\/td>/.exec(html.split('<tbody')[1] ?? '') ?? [];
  if (inside === undefined) throw new Error('No second cell drawn');
  return inside;
}

/**
 * Every part a cell can have, so that a part added to TableCell must be added here (Required),
 * and each is then drawn the same by the tables as by cell.ejs.
 */
const everyPart: Required<TableCell> = {
  text: 'Ann & Bob',
  link: { href: '/people/1', text: 'Pike, Ann', hiddenText: 'record' },
  tag: { text: 'Overdue', colour: 'red' },
  secondary: 'SD-01001',
  secondaryTag: { text: 'Due in 3 days', colour: 'grey' },
  actions: [{ link: { href: '/change', text: 'Change' } }, { button: { action: '/remove', text: 'Remove' } }],
  numeric: true,
  nowrap: true,
};

const cellsToDraw: [string, TableCell][] = [
  ['text alone', { text: everyPart.text }],
  ['no text', {}],
  ...(Object.keys(everyPart) as (keyof TableCell)[])
    .filter((part) => part !== 'text')
    .map((part): [string, TableCell] => [`text with ${part}`, { text: everyPart.text, [part]: everyPart[part] }]),
];

describe('a table cell', () => {
  for (const [what, cell] of cellsToDraw) {
    it(`with ${what} is drawn in a table and a sortable table as cell.ejs draws it`, () => {
      const drawnAlone = draw('cell.ejs', { cell });
      const table = draw('table.ejs', { head: [{ text: 'A' }, { text: 'B' }], rows: [[{ text: 'first' }, cell]] });
      const sortable = draw('sortable-table.ejs', {
        caption: 'People',
        table: {
          id: 'people',
          headers: [
            { text: 'A', href: '?a' },
            { text: 'B', href: '?b' },
          ],
          rows: [[{ text: 'first' }, cell]],
        },
      });
      expect(secondCell(table)).toBe(drawnAlone);
      expect(secondCell(sortable)).toBe(drawnAlone);
    });
  }

  it('escapes the text of a cell of text alone', () => {
    const table = draw('table.ejs', { head: [{ text: 'A' }, { text: 'B' }], rows: [[{ text: 'first' }, { text: '<b>Ann</b>' }]] });
    expect(secondCell(table)).toBe('&lt;b&gt;Ann&lt;/b&gt;');
  });
});
