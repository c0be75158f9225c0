import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { CommitmentWriter } from '../commitments/commitment-writer.js';
import { Environment } from '../config/environment.js';
import { GIVEN_FIELDS, selectFields, type SourceValues, sourcesJson } from '../domain/commitment-fields.js';
import type { AcceleratorKind } from '../domain/vocabulary.js';
import { type CsvTable, drain, readAnnouncementCsv, tooLarge } from './csv-reader.js';
import { stagedDuplicates } from './import-duplicates.js';
import {
  type CheckedRow,
  type ExistingCommitment,
  existingFinder,
  type FoundError,
  type ImportError,
  type ImportReport,
  MAX_LISTED_ERRORS,
  NameIndex,
  type NamedChip,
  type NamedRecord,
  RowChecker,
  UUID,
} from './import-plan.js';
import { ImportStage } from './import-staging.js';
import { writeImport } from './import-writer.js';
import { AuditTrail } from '../contracts/audit.js';

export type { ImportError, ImportReport } from './import-plan.js';

/** Rows checked in memory before they are staged in the database: the memory an import holds does not grow past them. */
const STAGE_BATCH_ROWS = 5_000;

/**
 * How an import's transaction plans its statements: each sort and hash may take this much memory before spilling to
 * disk (PostgreSQL's default, 4 MB, sends a large import's audit entries through temporary files), and nothing is
 * JIT-compiled. Each statement runs once over the staged rows, and on a large file its estimate passes the JIT
 * thresholds: compiling then takes longer than running (0.3–1.2 s a statement at 100,000 rows).
 */
const IMPORT_SETTINGS = `SET LOCAL work_mem = '64MB'; SET LOCAL jit = off`;

export interface ImportOptions {
  dryRun: boolean;
  actorId?: string | null;
  /** The line of the file a table's line stands for, where the table was built from another file (Epoch's). */
  lineOf?: (line: number) => number;
}

/**
 * Imports announcements from CSV, in one transaction: the file is read as it streams in, checked row by row and
 * staged a batch at a time in a temporary table; the checks across rows and the write run in SQL over that table.
 * Nothing is written unless every row passes; a dry run, or a file with any error, rolls the transaction back.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: CommitmentWriter,
    private readonly audit: AuditTrail,
    private readonly environment: Environment,
  ) {}

  /** An HTTP upload: `Content-Type: text/csv` (UTF-8), at most IMPORT_MAX_BYTES. */
  async importRequest(request: Request, options: ImportOptions): Promise<ImportReport> {
    const maxBytes = this.environment.IMPORT_MAX_BYTES;
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(request.header('content-type') ?? '')?.[1];
    if (!request.is('text/csv') || (charset && !/^utf-?8$/i.test(charset))) {
      await drain(request);
      throw new DomainError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        `An import takes a CSV file sent as Content-Type: text/csv (UTF-8), not ${request.header('content-type') ?? 'a body without a type'}`,
      );
    }
    if (Number(request.header('content-length') ?? 0) > maxBytes) {
      await drain(request);
      throw tooLarge(maxBytes);
    }
    return this.importStream(request, options, { maxBytes, idleSeconds: this.environment.IMPORT_IDLE_SECONDS });
  }

  /** A file already in memory (the demo data). */
  importCsv(csv: string, options: ImportOptions): Promise<ImportReport> {
    return this.importStream(Readable.from([Buffer.from(csv, 'utf8')]), options, {
      maxBytes: Number.MAX_SAFE_INTEGER,
      idleSeconds: this.environment.IMPORT_IDLE_SECONDS,
    });
  }

  async importStream(source: Readable, options: ImportOptions, limits: { maxBytes: number; idleSeconds: number }): Promise<ImportReport> {
    return this.importTable(await readAnnouncementCsv(source, limits), options);
  }

  /**
   * A table in the announcements format, checked, staged and written in one transaction: the path of every import,
   * whether the table comes from a file as it streams in or is built from another data set (Epoch AI's clusters).
   */
  async importTable(table: CsvTable, options: ImportOptions): Promise<ImportReport> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      await runner.query(IMPORT_SETTINGS);
      const checked = await this.checkAndWrite(runner.manager, table, options);
      const lineOf = options.lineOf;
      const report = lineOf ? { ...checked, errors: checked.errors.map((error) => ({ ...error, line: lineOf(error.line) })) } : checked;
      // A dry run, or a file with errors, writes nothing: the staged rows go with the transaction.
      if (options.dryRun || report.errors.length > 0) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      if (report.errors.length > 0) {
        const problems = report.errorCount ?? report.errors.length;
        const listed = problems > report.errors.length ? ` (the first ${report.errors.length} listed)` : '';
        throw new DomainError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          `${problems} problem(s) in ${report.rows - report.valid} row(s)${listed}; nothing was written`,
          undefined,
          { ...report },
        );
      }
      return report;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Checks the rows as they stream in and stages them a batch at a time in the transaction's temporary table, runs the
   * checks across rows there, and writes the import when the file is clean and this is no dry run.
   */
  private async checkAndWrite(manager: EntityManager, table: CsvTable, options: ImportOptions): Promise<ImportReport> {
    const [companies, chips] = [
      (await manager.query('SELECT id, name, aliases FROM companies')) as (NamedRecord & { name: string; aliases: string[] })[],
      (await manager.query('SELECT id, name, aliases, kind FROM accelerators')) as (NamedChip & {
        aliases: string[];
        kind: AcceleratorKind;
      })[],
    ];
    const checker = new RowChecker(table.header, new NameIndex(companies), new NameIndex(chips));
    const stage = await ImportStage.open(manager, { supersedes: checker.has('supersedes'), partOf: checker.has('part_of') });
    // The database stages one batch while the next is checked here: two batches in memory at most.
    let staging: Promise<void> = Promise.resolve();
    const stageBatch = async (batch: CheckedRow[]) => {
      await staging;
      staging = (async () => {
        const references = batch.filter((row) => row.given && row.key !== null).map((row) => row.key as string);
        const existing = existingFinder(await findExisting(manager, references));
        const staged = batch
          .filter((row) => row.given || row.key !== null)
          .map((row) => checker.stage(row, row.given && row.key !== null ? existing(row.key) : undefined));
        await stage.add(staged);
      })();
      // Awaited with the next batch, or below; a failure meanwhile is not an unhandled rejection.
      staging.catch(() => undefined);
    };
    let batch: CheckedRow[] = [];
    try {
      for await (const row of table.rows) {
        batch.push(checker.check(row));
        if (batch.length === STAGE_BATCH_ROWS) {
          await stageBatch(batch);
          batch = [];
        }
      }
      await stageBatch(batch);
    } finally {
      // The connection is not handed back (or the transaction ended) while a batch is still being staged.
      await staging.catch(() => undefined);
    }
    await staging;

    const outcome = await stage.resolve();
    const errorCount = checker.errorCount + outcome.errorCount;
    const valid = checker.rows - checker.failedRows - outcome.failedRows;
    const clean = errorCount === 0;
    const errors = listedErrors([...checker.errors, ...outcome.errors]);
    const report: ImportReport = {
      rows: checker.rows,
      valid,
      created: clean ? outcome.created : 0,
      updated: clean ? outcome.updated : 0,
      unchanged: clean ? outcome.unchanged : 0,
      errors,
      ...(errorCount > errors.length ? { errorCount } : {}),
      // A dry run says which rows may repeat a stored record: warnings, never errors.
      ...(options.dryRun ? { warnings: await stagedDuplicates(manager) } : {}),
    };
    if (clean && !options.dryRun && outcome.created + outcome.updated > 0) {
      const newCompanies = [...checker.newCompanies.values()]
        .filter((company) => !company.failed)
        .map(({ id, name, kind, country }) => ({ id, name, kind, country }));
      await writeImport(manager, { writer: this.writer, audit: this.audit }, { companies: newCompanies, actorId: options.actorId ?? null });
    }
    return report;
  }
}

/**
 * The first MAX_LISTED_ERRORS problems by line (those of one line in the order found): each list holds the first of
 * its own by line, so together they hold the first of all.
 */
function listedErrors(found: FoundError[]): ImportError[] {
  return found
    .sort((a, b) => a.line - b.line || a.phase - b.phase || a.step - b.step)
    .slice(0, MAX_LISTED_ERRORS)
    .map(({ phase: _phase, step: _step, ...error }) => error);
}

/** Live commitments whose external key, or id, is one of these references, with their sources. */
async function findExisting(manager: EntityManager, references: string[]): Promise<ExistingCommitment[]> {
  if (references.length === 0) return [];
  const ids = references.filter((reference) => UUID.test(reference));
  const fields = GIVEN_FIELDS.filter((field) => field !== 'key');
  const rows: (ExistingCommitment & { sources: SourceValues[] | null })[] = await manager.query(
    `SELECT c.id, c.external_key AS key, ${selectFields(fields, 'c')}, c.version, ${sourcesJson('c.id')} AS sources
     FROM commitments c
     WHERE c.deleted_at IS NULL AND (c.external_key = ANY($1::text[]) OR c.id = ANY($2::uuid[]))`,
    [references, ids],
  );
  return rows.map((row) => ({ ...row, sources: row.sources ?? [] }));
}
