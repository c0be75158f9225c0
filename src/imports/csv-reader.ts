import { HttpStatus } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '../common/errors.js';
import { ANNOUNCEMENT_COLUMNS, type AnnouncementColumn, REQUIRED_COLUMNS } from '../domain/commitment-fields.js';
import { restoreCell } from '../domain/csv-cells.js';

/** One data row of the file: the line it starts on (the header is line 1) and its cells, trimmed. */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvTable {
  /** The columns in the order of the file. */
  header: AnnouncementColumn[];
  rows: AsyncIterable<CsvRow>;
}

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(ANNOUNCEMENT_COLUMNS);

/**
 * Counts bytes against the limit and refuses what is not UTF-8 text, passing the bytes on unchanged; gives up on an
 * upload that sends nothing for `idleSeconds`: an import holds its transaction (on the embedded engine, the
 * database) while the file streams in, and a stalled client must not hold it until the connection times out.
 */
class TextGuard extends Transform {
  private bytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly idleTimer: NodeJS.Timeout;

  constructor(
    private readonly maxBytes: number,
    idleSeconds: number,
  ) {
    super();
    this.idleTimer = setTimeout(() => this.destroy(stalled(idleSeconds)), idleSeconds * 1000);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.idleTimer.refresh();
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(tooLarge(this.maxBytes));
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return callback(notText('it is not UTF-8 text'));
    }
    if (chunk.includes(0)) return callback(notText('it holds binary data'));
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.idleTimer);
    if (this.bytes === 0) return callback(new DomainError(HttpStatus.BAD_REQUEST, 'The file is empty: a header row is required'));
    try {
      this.decoder.decode();
    } catch {
      return callback(notText('it ends inside a UTF-8 character'));
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    callback(error);
  }
}

export class StalledUpload extends DomainError {}

const stalled = (idleSeconds: number) =>
  new StalledUpload(
    HttpStatus.REQUEST_TIMEOUT,
    `The upload sent nothing for ${idleSeconds} s (IMPORT_IDLE_SECONDS) and was abandoned; nothing was written`,
  );

export const tooLarge = (maxBytes: number) =>
  new DomainError(HttpStatus.PAYLOAD_TOO_LARGE, `The file is larger than the ${maxBytes} bytes an import accepts (IMPORT_MAX_BYTES)`);

const notText = (why: string) => new DomainError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `The file is not CSV: ${why}`);

/**
 * Reads an announcements CSV as it streams in: UTF-8 with or without a byte order mark, quoted fields with commas
 * and line breaks, `\n` or `\r\n` line endings. The header is checked before the first row is handed out; a stream
 * that breaks the CSV syntax or the size limit ends the rows with a 4xx DomainError. Memory stays bounded: rows are
 * handed out one by one as they are consumed.
 */
export async function readAnnouncementCsv(source: Readable, limits: { maxBytes: number; idleSeconds: number }): Promise<CsvTable> {
  const guard = new TextGuard(limits.maxBytes, limits.idleSeconds);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false });
  source.pipe(guard).pipe(parser);
  let stalledUpload = false;
  guard.on('error', (error) => {
    stalledUpload ||= error instanceof StalledUpload;
    parser.destroy(error);
  });
  source.on('error', (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const release = () => {
    source.unpipe(guard);
    // Nothing more will come from a stalled client: answer now (and close the connection) rather than wait for it.
    return stalledUpload ? Promise.resolve() : drain(source);
  };

  let nextLine = 1;
  /** The next record with the line it starts on; blank lines are skipped. */
  const next = async (): Promise<CsvRow | null> => {
    for (;;) {
      let result: IteratorResult<string[]>;
      try {
        result = await records.next();
      } catch (error) {
        throw readError(error);
      }
      if (result.done) return null;
      const line = nextLine;
      // A record takes one line plus the line breaks quoted inside its fields.
      nextLine += 1 + result.value.reduce((breaks, cell) => breaks + countLineBreaks(cell), 0);
      if (result.value.length === 1 && result.value[0].trim() === '') continue;
      // A cell the project wrote with a leading apostrophe against formulas comes back as it was (csv-cells.ts).
      return { line, cells: result.value.map((cell) => restoreCell(cell.trim())) };
    }
  };

  let header: AnnouncementColumn[];
  try {
    const first = await next();
    if (!first) throw new DomainError(HttpStatus.BAD_REQUEST, 'The file is empty: a header row is required');
    header = checkHeader(first.cells);
  } catch (error) {
    await release();
    throw error;
  }

  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      for (let row = await next(); row; row = await next()) yield row;
    } finally {
      await release();
    }
  }
  return { header, rows: rows() };
}

/**
 * Reads and drops what is left of an upload, so that an early answer (413, 400) reaches the client: a server that
 * answers and closes while the client is still sending makes the client see a reset instead.
 */
export function drain(source: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (source.readableEnded || source.destroyed) return resolve();
    source.once('end', resolve);
    source.once('close', resolve);
    source.once('error', () => resolve());
    source.resume();
  });
}

function checkHeader(cells: string[]): AnnouncementColumn[] {
  const names = cells.map((cell) => cell.toLowerCase());
  const problems = [
    ...REQUIRED_COLUMNS.filter((column) => !names.includes(column)).map((column) => ({
      field: column,
      messages: ['required column is missing'],
    })),
    ...names.flatMap((name, index) => {
      if (!KNOWN_COLUMNS.has(name)) {
        return [{ field: cells[index], messages: [`unknown column; the columns are ${ANNOUNCEMENT_COLUMNS.join(', ')}`] }];
      }
      return names.indexOf(name) !== index ? [{ field: cells[index], messages: ['column appears twice'] }] : [];
    }),
  ];
  if (problems.length > 0) {
    throw new DomainError(
      HttpStatus.BAD_REQUEST,
      `The header does not match the announcements format: ${problems.map((problem) => `${problem.field || '(blank)'} (${problem.messages[0].split(';')[0]})`).join(', ')}`,
      problems,
    );
  }
  return names as AnnouncementColumn[];
}

function readError(error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    return new DomainError(HttpStatus.BAD_REQUEST, `The file is not valid CSV: ${error.message}`, { line, code: error.code });
  }
  return error;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
