/**
 * What a cell of any file the council opens in a spreadsheet looks like, whoever writes the file:
 * the report downloads (src/web/csv.ts) and the Client Level Data return alike. Kept out of the
 * web layer because the return's own rules write its amounts.
 */

/** Pence as pounds a spreadsheet reads as a number: "1234.56", "-12.00"; no £ sign, no commas. */
export function csvPounds(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const digits = String(Math.abs(pence)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// What Excel, LibreOffice and Google Sheets start a formula (or a DDE call) with, including the
// full-width forms Apple Numbers folds to them; OWASP's "CSV injection" advice.
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
// A plain number such as "-400.00" runs nothing, and quoting it would make it text to add up.
const plainNumber = /^-?\d+(\.\d+)?$/;

/** Text that would start a formula gets a leading apostrophe, so the spreadsheet shows it as text. */
export function safeCell(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}
