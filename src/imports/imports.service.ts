import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { CommitmentsService } from '../commitments/commitments.service.js';
import { Environment } from '../config/environment.js';
import type { AcceleratorKind } from '../domain/vocabulary.js';
import { drain, readAnnouncementCsv, tooLarge } from './csv-reader.js';
import {
  type ExistingCommitment,
  type ExistingRecords,
  type ImportReport,
  ImportPlanner,
  NameIndex,
  type NamedChip,
  type NamedRecord,
  type SourceValues,
} from './import-plan.js';
import { writeImport } from './import-writer.js';
import { AuditService } from '../audit/audit.service.js';

export type { ImportError, ImportReport } from './import-plan.js';

/** Keys (or ids) per look-up of the records a file names. */
const LOOKUP_SLICE = 10_000;

export interface ImportOptions {
  dryRun: boolean;
  actorId?: string | null;
}

/**
 * Imports announcements from CSV. The file is read as it streams in and checked row by row; nothing is written
 * until every row has passed, and then everything is written in one transaction — or, with any error, nothing.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly commitments: CommitmentsService,
    private readonly audit: AuditService,
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
    return this.importStream(request, options, maxBytes);
  }

  /** A file already in memory (the demo data). */
  importCsv(csv: string, options: ImportOptions): Promise<ImportReport> {
    return this.importStream(Readable.from([Buffer.from(csv, 'utf8')]), options, Number.MAX_SAFE_INTEGER);
  }

  async importStream(source: Readable, options: ImportOptions, maxBytes: number): Promise<ImportReport> {
    const [companies, chips] = await Promise.all([
      this.dataSource.query('SELECT id, name, aliases FROM companies') as Promise<(NamedRecord & { name: string; aliases: string[] })[]>,
      this.dataSource.query('SELECT id, name, aliases, kind FROM accelerators') as Promise<
        (NamedChip & { aliases: string[]; kind: AcceleratorKind })[]
      >,
    ]);
    const table = await readAnnouncementCsv(source, maxBytes);
    const planner = new ImportPlanner(table.header, new NameIndex(companies), new NameIndex(chips));
    for await (const row of table.rows) planner.addRow(row);
    const { rows, report } = await planner.resolve(this.existingRecords());

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
    if (!options.dryRun && rows.some((row) => row.outcome !== 'unchanged')) {
      await this.dataSource.transaction((manager) =>
        writeImport(
          manager,
          { commitments: this.commitments, audit: this.audit },
          { rows, companies: planner.companiesToCreate(rows), actorId: options.actorId ?? null },
        ),
      );
    }
    return report;
  }

  private existingRecords(): ExistingRecords {
    const query = this.dataSource.query.bind(this.dataSource);
    return {
      find: async (allKeys, allIds) => {
        const found = new Map<string, ExistingCommitment>();
        // In slices, so that a large file's answer never sits in memory twice over (as rows and as records).
        for (let start = 0; start < Math.max(allKeys.length, allIds.length); start += LOOKUP_SLICE) {
          const [keys, ids] = [allKeys.slice(start, start + LOOKUP_SLICE), allIds.slice(start, start + LOOKUP_SLICE)];
          const rows: (Omit<ExistingCommitment, 'source'> & { hasSource: boolean } & Record<string, unknown>)[] = await query(
            `SELECT c.id, c.external_key AS key, c.company_id AS "companyId", c.accelerator_id AS "acceleratorId",
             c.accelerator_kind AS "acceleratorKind", c.quantity, c.quantity_qualifier AS "quantityQualifier",
             c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw", c.announced_on AS "announcedOn",
             c.delivery_from AS "deliveryFrom", c.delivery_by AS "deliveryBy", c.status, c.certainty,
             c.supersedes_id AS "supersedesId", c.notes, c.version,
             s.id IS NOT NULL AS "hasSource", s.url, s.title, s.publisher, s.published_on AS "publishedOn", s.language, s.quote
           FROM commitments c LEFT JOIN commitment_sources s ON s.commitment_id = c.id AND s.position = 0
           WHERE c.deleted_at IS NULL AND (c.external_key = ANY($1::text[]) OR c.id = ANY($2::uuid[]))`,
            [keys, ids],
          );
          for (const { hasSource, url, title, publisher, publishedOn, language, quote, ...record } of rows) {
            const source = hasSource ? ({ url, title, publisher, publishedOn, language, quote } as SourceValues) : null;
            found.set(record.id, { ...record, source });
          }
        }
        return [...found.values()];
      },
      deletedIds: async (ids) =>
        ids.length === 0
          ? []
          : (
              (await query('SELECT id FROM commitments WHERE deleted_at IS NOT NULL AND id = ANY($1::uuid[])', [ids])) as { id: string }[]
            ).map((row) => row.id),
      supersedersOf: async (ids) =>
        ids.length === 0
          ? []
          : query(
              'SELECT id, external_key AS key, supersedes_id AS "supersedesId" FROM commitments WHERE deleted_at IS NULL AND supersedes_id = ANY($1::uuid[])',
              [ids],
            ),
      chainsFrom: async (ids) =>
        ids.length === 0
          ? []
          : query(
              `WITH RECURSIVE older(id, supersedes_id) AS (
                 SELECT id, supersedes_id FROM commitments WHERE id = ANY($1::uuid[])
                 UNION SELECT c.id, c.supersedes_id FROM commitments c JOIN older o ON c.id = o.supersedes_id
               ) SELECT id, supersedes_id AS "supersedesId" FROM older`,
              [ids],
            ),
    };
  }
}
