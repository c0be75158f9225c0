/**
 * The CSV formula rule, for every CSV the project writes and reads: a cell that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, or the full-width `＝`, `＋`, `－`, `＠` that some
 * spreadsheets read as the same) is written with a leading `'`, which spreadsheets show as text; an import removes one
 * leading `'` before those characters, so a round trip changes nothing. A cell that already starts with apostrophes
 * before such a character gets one more too (`'=1` is written `''=1`), so that it also comes back as it was.
 */
// A cell of apostrophes before a formula character gets one more, so that restoring it gives it back as it was.
const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEUTRALISED = /^''*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cell as a CSV file written by the project holds it. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The cell as it was before neutraliseCell wrote it. */
export function restoreCell(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}
