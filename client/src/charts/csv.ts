import { neutraliseCell } from '../../../src/domain/csv-cells.js';

export type TableCell = string | number | null;

export interface DataTable {
  columns: string[];
  rows: TableCell[][];
}

function csvField(cell: TableCell): string {
  // Text a spreadsheet would run as a formula is written as text (the project's one rule for every CSV it writes).
  const text = cell === null ? '' : typeof cell === 'number' ? String(cell) : neutraliseCell(cell);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: DataTable): string {
  return [table.columns, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function download(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}

export function downloadCsv(table: DataTable, fileName: string): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }));
  download(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
