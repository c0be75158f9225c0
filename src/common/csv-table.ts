import { HttpStatus } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse/sync';
import { DomainError } from './errors.js';

/** A data row by its header: the line the row starts on (the header is line 1) and its cells by column name. */
export interface CsvTableRow {
  line: number;
  cells: Record<string, string>;
  /** How many cells the row has: more than the header's columns is a row the header cannot describe. */
  width: number;
}

/**
 * Reads a whole CSV file held in memory (UTF-8, with or without a byte order mark, quoted fields with commas and
 * line breaks, `\n` or `\r\n`) as its header and rows by column name; blank lines are skipped, cells kept as they
 * are. Broken CSV, an empty file or a header naming a column twice is a 400.
 */
export function readCsvTable(text: string): { header: string[]; rows: CsvTableRow[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (error instanceof CsvError) {
      throw new DomainError(HttpStatus.BAD_REQUEST, `The file is not valid CSV: ${error.message}`, { code: error.code });
    }
    throw error;
  }
  const lines: number[] = [];
  let nextLine = 1;
  const kept = records.filter((record) => {
    const line = nextLine;
    // A record takes one line plus the line breaks quoted inside its fields.
    nextLine += 1 + record.reduce((breaks, cell) => breaks + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length === 1 && record[0].trim() === '') return false;
    lines.push(line);
    return true;
  });
  if (kept.length === 0) throw new DomainError(HttpStatus.BAD_REQUEST, 'The file is empty: a header row is required');
  const header = kept[0].map((cell) => cell.trim());
  const twice = header.filter((name, index) => name !== '' && header.indexOf(name) !== index);
  if (twice.length > 0) {
    throw new DomainError(
      HttpStatus.BAD_REQUEST,
      `The header names a column twice: ${twice.join(', ')}`,
      twice.map((field) => ({ field, messages: ['column appears twice'] })),
    );
  }
  const rows = kept.slice(1).map((record, index) => ({
    line: lines[index + 1],
    cells: Object.fromEntries(header.flatMap((name, column) => (name === '' ? [] : [[name, record[column] ?? '']]))),
    width: kept[index + 1].length,
  }));
  return { header, rows };
}

/** A 400 naming each required column the header lacks, or nothing. */
export function requireColumns(header: readonly string[], required: readonly string[], format: string): void {
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length === 0) return;
  throw new DomainError(
    HttpStatus.BAD_REQUEST,
    `The header is not ${format}: missing ${missing.join(', ')}`,
    missing.map((field) => ({ field, messages: ['required column is missing'] })),
  );
}
