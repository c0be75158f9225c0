import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { readCsvTable, requireColumns } from '../common/csv-table.js';
import { DomainError } from '../common/errors.js';
import { readCsvUpload } from '../common/text-upload.js';
import { Environment } from '../config/environment.js';
import { ANNOUNCEMENT_COLUMNS, MAX_SOURCES, SOURCE_FIELDS, sourceColumn } from '../domain/commitment-fields.js';
import {
  CLUSTER_COLUMNS,
  type ClusterChip,
  type ClusterCommitmentDraft,
  type LineProblem,
  mapEpochClusterFile,
  REQUIRED_CLUSTER_COLUMNS,
} from '../domain/epoch/clusters.js';
import { EPOCH_CLUSTERS_CREDIT } from '../domain/epoch/credit.js';
import type { CsvRow, CsvTable } from './csv-reader.js';
import type { EpochClustersReport } from '../contracts/epoch-clusters.js';
import { type ImportReport, NameIndex } from './import-plan.js';
import { ImportsService } from './imports.service.js';

export type { EpochClustersReport } from '../contracts/epoch-clusters.js';

export interface EpochClustersOptions {
  dryRun: boolean;
  /** The day the file was published (YYYY-MM-DD): the announcement date of rows that give no date. */
  publishedOn: string;
  actorId: string | null;
}

/** The announcement columns a draft fills, in the announcements format's order. */
const FILLED_COLUMNS: ReadonlySet<string> = new Set([
  'key',
  'company',
  'accelerator',
  'accelerator_kind',
  'quantity',
  'quantity_qualifier',
  'stated_h100e',
  'stated_power_mw',
  'announced_on',
  'delivery_from',
  'delivery_by',
  'status',
  'certainty',
  'supersedes',
  'notes',
  'site_country',
  'part_of',
  ...Array.from({ length: MAX_SOURCES }, (_, position) => SOURCE_FIELDS.map(({ field }) => sourceColumn(position, field))).flat(),
]);
const COLUMNS = ANNOUNCEMENT_COLUMNS.filter((column) => FILLED_COLUMNS.has(column));

/**
 * Epoch AI's GPU Clusters data set into the ledger: the file is mapped row by row (`domain/epoch/clusters.ts`), the
 * rows that cannot be mapped are reported by line, and the records of the others go through the announcements
 * import as one table — the same checks, one transaction, the same idempotence (a record keyed `epoch:<Name>` that
 * the file gives as it is stays unchanged; one whose row changed is updated and audited as an import). Records
 * without an `epoch:` key, the analysts' own, are never named by the file and so never touched.
 */
@Injectable()
export class EpochClustersImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly imports: ImportsService,
    private readonly environment: Environment,
  ) {}

  async importRequest(request: Request, options: EpochClustersOptions): Promise<EpochClustersReport> {
    return this.importCsv(await readCsvUpload(request, this.environment.IMPORT_MAX_BYTES), options);
  }

  async importCsv(csv: string, options: EpochClustersOptions): Promise<EpochClustersReport> {
    const { header, rows } = readCsvTable(csv);
    requireColumns(header, REQUIRED_CLUSTER_COLUMNS, "Epoch AI's GPU Clusters data set");
    const errors: LineProblem[] = [];
    const readable = rows.filter((row) => {
      if (row.width <= header.length) return true;
      errors.push({ line: row.line, field: 'row', message: `the row has ${row.width} fields; the header has ${header.length}` });
      return false;
    });
    const { lookup, nameOf } = await this.chipLookup();
    const mapped = mapEpochClusterFile(readable, { publishedOn: options.publishedOn, chips: lookup });
    errors.push(...mapped.errors);
    const warnings = [...mapped.warnings];
    await this.dropLinksTheLedgerRefuses(mapped.drafts, mapped.rows, warnings);
    await this.keepAnalystsWholesAndParts(mapped.drafts, mapped.rows, warnings);

    const lines = mapped.rows.flatMap((row) => row.drafts.map(() => row.line));
    const table: CsvTable = {
      header: COLUMNS,
      rows: (async function* (): AsyncGenerator<CsvRow> {
        for (const [index, draft] of mapped.drafts.entries()) {
          const cells = cellsOf(draft, nameOf);
          yield { line: index + 2, cells: COLUMNS.map((column) => cells[column] ?? '') };
        }
      })(),
    };
    const failedLines = new Set(errors.map((error) => error.line));
    const listed = (list: LineProblem[]) =>
      list
        .sort((a, b) => a.line - b.line)
        .map(({ line, field, message, value }) => ({ line, field, message, ...(value ? { value } : {}) }));
    const extra = ({ warnings: possibleDuplicates, ...report }: ImportReport): EpochClustersReport => ({
      ...report,
      ...(possibleDuplicates ? { possibleDuplicates } : {}),
      rows: rows.length,
      valid: rows.length - failedLines.size - new Set(report.errors.map((error) => error.line)).size,
      records: mapped.drafts.length,
      errors: listed([...errors, ...report.errors]),
      warnings: listed(warnings),
      credit: EPOCH_CLUSTERS_CREDIT,
    });
    try {
      const report = await this.imports.importTable(table, {
        dryRun: options.dryRun,
        actorId: options.actorId,
        lineOf: (line) => lines[line - 2] ?? line,
      });
      return extra(report);
    } catch (error) {
      // A record the ledger's own rules refuse: nothing was written, and the report says why, by Epoch's line.
      if (error instanceof DomainError && error.status === HttpStatus.UNPROCESSABLE_ENTITY && error.bodyFields) {
        const report = extra(error.bodyFields as unknown as ImportReport);
        throw new DomainError(error.status, error.message, error.details, { ...report });
      }
      throw error;
    }
  }

  /** Chips by name or alias (names first), with the specs the H100e of a row needs. */
  private async chipLookup(): Promise<{ lookup: (name: string) => ClusterChip | null; nameOf: (id: string) => string }> {
    const rows: (ClusterChip & { aliases: string[] })[] = await this.dataSource.query(
      `SELECT id, name, aliases, kind, dense_fp32_tflops AS "denseFp32Tflops", dense_bf16_tflops AS "denseBf16Tflops",
         dense_fp8_tflops AS "denseFp8Tflops", dense_int8_tops AS "denseInt8Tops", tdp_watts AS "tdpWatts"
       FROM accelerators`,
    );
    const index = new NameIndex(rows);
    return { lookup: (name) => index.find(name) ?? null, nameOf: (id) => index.byId.get(id)?.name ?? id };
  }

  /**
   * Links of the file that the ledger's supersession rules would refuse, dropped with a warning rather than failing
   * the import: a record superseding one of another company (a cluster that changed hands), and one whose target a
   * record outside the file supersedes already (an analyst's revision of an Epoch record).
   */
  private async dropLinksTheLedgerRefuses(
    drafts: ClusterCommitmentDraft[],
    rows: { line: number; drafts: ClusterCommitmentDraft[] }[],
    warnings: LineProblem[],
  ): Promise<void> {
    const companies: { id: string; name: string; aliases: string[] }[] = await this.dataSource.query(
      'SELECT id, name, aliases FROM companies',
    );
    const index = new NameIndex(companies);
    const companyOf = (name: string) => index.find(name)?.id ?? name.toLowerCase();
    const byKey = new Map(drafts.map((draft) => [draft.key, draft]));
    const lineOf = new Map(rows.flatMap((row) => row.drafts.map((draft) => [draft.key, row.line] as const)));
    const targets = drafts.flatMap((draft) => (draft.supersedesKey ? [draft.supersedesKey] : []));
    const taken: { target: string; by: string }[] = targets.length
      ? await this.dataSource.query(
          `SELECT t.external_key AS target, coalesce(x.external_key, x.id::text) AS by
           FROM commitments t JOIN commitments x ON x.supersedes_id = t.id AND x.deleted_at IS NULL
           WHERE t.deleted_at IS NULL AND t.external_key = ANY($1::text[])
             AND (x.external_key IS NULL OR NOT x.external_key = ANY($2::text[]))`,
          [targets, [...byKey.keys()]],
        )
      : [];
    const takenBy = new Map(taken.map((row) => [row.target, row.by]));
    for (const draft of drafts) {
      const target = draft.supersedesKey === null ? undefined : byKey.get(draft.supersedesKey);
      if (!target) continue;
      const why =
        companyOf(target.companyName) !== companyOf(draft.companyName)
          ? `${target.companyName} and ${draft.companyName} are different companies`
          : takenBy.has(target.key)
            ? `${takenBy.get(target.key)} supersedes it already in the ledger`
            : null;
      if (why === null) continue;
      warnings.push({
        line: lineOf.get(target.key) ?? 0,
        field: CLUSTER_COLUMNS.supersededBy,
        message: `${target.key} stays counted: ${why}`,
        value: draft.key,
      });
      draft.supersedesKey = null;
    }
  }

  /**
   * The wholes and parts analysts made of Epoch's records win over the file's links, which are dropped with a warning
   * rather than failing the import on the ledger's rules of wholes and parts (one level, no cancelled whole):
   * - an Epoch record an analyst made a part of a record the file does not name stays that part (the file's own
   *   link for it, if any, is dropped);
   * - an Epoch record with analysts' records as its parts stays a whole (not a part of another row) and is not
   *   cancelled by a "Decommissioned" row: it keeps its stored status until those parts are released;
   * - a row whose whole has thereby become a part is linked to nothing.
   */
  private async keepAnalystsWholesAndParts(
    drafts: ClusterCommitmentDraft[],
    rows: { line: number; drafts: ClusterCommitmentDraft[] }[],
    warnings: LineProblem[],
  ): Promise<void> {
    const keys = drafts.map((draft) => draft.key);
    const stored: { key: string; status: ClusterCommitmentDraft['status']; keptWhole: string | null; outsideParts: number }[] =
      await this.dataSource.query(
        `SELECT r.external_key AS key, r.status,
           CASE WHEN w.id IS NOT NULL AND (w.external_key IS NULL OR NOT w.external_key = ANY($1::text[]))
             THEN coalesce(w.external_key, w.id::text) END AS "keptWhole",
           (SELECT count(*) FROM commitments p WHERE p.part_of_id = r.id AND p.deleted_at IS NULL
              AND (p.external_key IS NULL OR NOT p.external_key = ANY($1::text[])))::integer AS "outsideParts"
         FROM commitments r
           LEFT JOIN commitments w ON w.id = r.part_of_id AND w.deleted_at IS NULL AND w.status <> 'cancelled'
         WHERE r.deleted_at IS NULL AND r.external_key = ANY($1::text[])`,
        [keys],
      );
    const byKey = new Map(stored.map((record) => [record.key, record]));
    const lineOf = new Map(rows.flatMap((row) => row.drafts.map((draft) => [draft.key, row.line] as const)));
    const warn = (draft: ClusterCommitmentDraft, field: string, message: string, value: string) =>
      warnings.push({ line: lineOf.get(draft.key) ?? 0, field, message, value });
    for (const draft of drafts) {
      const record = byKey.get(draft.key);
      if (!record) continue;
      if (record.keptWhole !== null) {
        if (draft.partOfKey !== null && draft.partOfKey !== record.keptWhole) {
          warn(
            draft,
            CLUSTER_COLUMNS.duplicateOf,
            `${draft.key} stays a part of ${record.keptWhole}, as an analyst linked it`,
            draft.partOfKey,
          );
        }
        draft.partOfKey = record.keptWhole;
      }
      if (record.outsideParts === 0) continue;
      const parts =
        record.outsideParts === 1 ? "an analyst's record is a part of it" : `${record.outsideParts} analysts' records are parts of it`;
      if (draft.partOfKey !== null) {
        warn(draft, CLUSTER_COLUMNS.duplicateOf, `${draft.key} stays a whole: ${parts}`, draft.partOfKey);
        draft.partOfKey = null;
      }
      if (draft.status === 'cancelled' && record.status !== 'cancelled') {
        warn(draft, CLUSTER_COLUMNS.status, `${draft.key} stays ${record.status} while ${parts}`, 'Decommissioned');
        draft.status = record.status;
      }
    }
    const wholeOf = new Map(drafts.map((draft) => [draft.key, draft.partOfKey]));
    for (const draft of drafts) {
      const whole = draft.partOfKey === null ? undefined : wholeOf.get(draft.partOfKey);
      if (whole === undefined || whole === null) continue;
      warn(
        draft,
        CLUSTER_COLUMNS.duplicateOf,
        `${draft.key} is not linked: ${draft.partOfKey} is itself a part of ${whole}`,
        draft.partOfKey!,
      );
      draft.partOfKey = null;
    }
  }
}

/** A draft's cells in the announcements format (an absent cell: empty). */
function cellsOf(draft: ClusterCommitmentDraft, chipName: (id: string) => string): Record<string, string> {
  const text = (value: string | number | null) => (value === null ? '' : String(value));
  const cells: Record<string, string> = {
    key: draft.key,
    company: draft.companyName,
    // A chip found in the catalog is named by its catalog name; without one, the kind says what the chips are.
    accelerator: draft.acceleratorId === null ? '' : chipName(draft.acceleratorId),
    accelerator_kind: draft.acceleratorId === null ? draft.acceleratorKind : '',
    quantity: text(draft.quantity),
    quantity_qualifier: text(draft.quantityQualifier),
    stated_h100e: text(draft.statedH100e),
    stated_power_mw: text(draft.statedPowerMw),
    announced_on: draft.announcedOn,
    delivery_from: text(draft.deliveryFrom),
    delivery_by: text(draft.deliveryBy),
    status: draft.status,
    certainty: draft.certainty,
    supersedes: text(draft.supersedesKey),
    notes: draft.notes,
    site_country: text(draft.siteCountry),
    part_of: text(draft.partOfKey),
  };
  for (let position = 0; position < MAX_SOURCES; position++) {
    const source = draft.sources[position];
    for (const { field } of SOURCE_FIELDS) cells[sourceColumn(position, field)] = text(source?.[field] ?? null);
  }
  return cells;
}
