import { plainToInstance } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { validateInstance } from '../common/validation.js';
import {
  boundsViolation,
  type RuleViolation,
  settleAcceleratorKind,
  settleQuantityQualifier,
  settleWindow,
} from '../commitments/commitment-rules.js';
import { CreateCommitmentDto, SourceDto } from '../commitments/dto/commitment.dto.js';
import type { Commitment } from '../commitments/commitment.entity.js';
import { CreateCompanyDto } from '../companies/dto/company.dto.js';
import {
  type AnnouncementColumn,
  COLUMN_OF_FIELD,
  COMMITMENT_FIELDS,
  fullSource,
  MAX_SOURCES,
  PLAIN_FIELDS,
  type PlainField,
  SOURCE_FIELDS,
  type SourceField,
  type SourceValues,
  sourceColumn,
} from '../domain/commitment-fields.js';
import type { DeliveryWindow } from '../domain/delivery-window.js';
import type { AcceleratorKind, CompanyKind } from '../domain/vocabulary.js';
import type { ImportError } from '../contracts/import-report.js';
import type { CsvRow } from './csv-reader.js';

export type { ImportError, ImportReport } from '../contracts/import-report.js';

export type { SourceValues } from '../domain/commitment-fields.js';

/** A commitment as an import leaves it: its plain fields (those of the declaration a cell carries), and its sources. */
export type CommitmentValues = Pick<
  Commitment,
  PlainField | 'companyId' | 'acceleratorId' | 'supersedesId' | 'hostCompanyId' | 'partOfId'
> & {
  sources: SourceValues[];
};

/** A live commitment that a row names (by key or id) or supersedes, with its sources. */
export interface ExistingCommitment extends CommitmentValues {
  id: string;
  key: string | null;
  version: number;
}

export interface NewCompany {
  id: string;
  name: string;
  kind: CompanyKind;
  country: string | null;
}

export interface NamedRecord {
  id: string;
}
export interface NamedChip extends NamedRecord {
  name: string;
  kind: AcceleratorKind;
}

/** Companies and chips found by name or alias, case-insensitive, names before aliases (as findByNameOrAlias). */
export class NameIndex<T extends NamedRecord> {
  private readonly byName = new Map<string, T>();
  readonly byId = new Map<string, T>();

  constructor(records: (T & { name: string; aliases: string[] })[]) {
    for (const record of records)
      for (const alias of record.aliases) if (!this.byName.has(alias.toLowerCase())) this.byName.set(alias.toLowerCase(), record);
    for (const record of records) this.byName.set(record.name.toLowerCase(), record);
    for (const record of records) this.byId.set(record.id, record);
  }

  find(name: string): T | undefined {
    return this.byName.get(name.toLowerCase());
  }
}

/**
 * The fields a row gives: undefined where its column is absent from the file, null where the cell is empty; a source
 * position is undefined where the file has none of its columns.
 */
type GivenValues = { [K in keyof Omit<CommitmentValues, 'sources' | 'supersedesId' | 'partOfId'>]?: CommitmentValues[K] | null } & {
  sources: (Partial<SourceValues> | undefined)[];
};

/** A row once its own checks are done (its cells are not kept). */
export interface CheckedRow {
  line: number;
  /** The `key` cell, null where it is empty or the row is malformed. */
  key: string | null;
  /** The values the row gives; null when the row failed its own checks. */
  given: GivenValues | null;
  /** The `supersedes` cell: undefined where the file has no such column, null where it is empty. */
  supersedes?: string | null;
  /** The `part_of` cell, as `supersedes`. */
  partOf?: string | null;
}

/**
 * A problem with where it was found: `phase` and `step` order the problems of one line as they are found (the row's
 * own checks first, then the checks across rows, one kind after the other).
 */
export interface FoundError extends ImportError {
  phase: number;
  step: number;
}

/** The phases of the checks, in the order they run; the problems of a row's own checks are those of phase 1. */
export const PHASE = { ownChecks: 1, sameRecord: 2, deleted: 3, rules: 4, references: 5, supersession: 6, wholes: 7, partOf: 8 } as const;

/**
 * A row as it is staged for the checks across rows and the write: its record (an existing one matched by key or id,
 * or a new one) and its values merged into that record's, with the rules that need no other row applied.
 */
export interface StagedRow {
  line: number;
  /** The `key` cell as written. */
  key: string | null;
  /** Whether the row failed its own checks; such a row is staged only for the checks of keys. */
  failed: boolean;
  /** The record's id: the existing one, or the one it is created with. */
  id: string | null;
  /** The record's external key. */
  recordKey: string | null;
  existing: { version: number; supersedesId: string | null; partOfId: string | null } | null;
  /** The key is a UUID that names no live record: the id a new record gets, unless a deleted one has it. */
  idFromKey: boolean;
  /**
   * The values, with the supersession and whole the record has; the `supersedes` and `part_of` cells are resolved
   * across rows.
   */
  values: CommitmentValues | null;
  window: DeliveryWindow | null;
  /** Whether the values, supersession and whole aside, are the existing record's. */
  sameValues: boolean;
  supersedes: string | null | undefined;
  partOf: string | null | undefined;
  /** The kind and window rules the row breaks, reported unless an earlier check across rows fails the row. */
  violations: { kind: ImportError | null; window: ImportError | null; bounds?: ImportError | null };
}

/** A report lists this many problems at most (a file of garbage would otherwise list one per line). */
export const MAX_LISTED_ERRORS = 1_000;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
/** The fields compared to tell a changed record from one the file leaves as it is (supersession and whole aside). */
const VALUE_FIELDS = ['companyId', 'acceleratorId', 'hostCompanyId', ...PLAIN_FIELDS.map(({ field }) => field)] as const;
/** The plain fields with the value a new record takes where the file gives none. */
const PLAIN_DEFAULTS = PLAIN_FIELDS.map(({ field }) => ({
  field,
  fallback: (COMMITMENT_FIELDS[field] as { default?: string }).default ?? null,
}));
/** The CSV columns of each source position, by field. */
const SOURCE_COLUMNS = Array.from({ length: MAX_SOURCES }, (_, position) =>
  SOURCE_FIELDS.map(({ field }) => ({ field, column: sourceColumn(position, field) })),
);

/**
 * Checks an announcements file row by row as it streams in: each row's shape, its company and chip, and the API's
 * validation of its fields. Nothing is kept of a row but what it returns; the problems are collected (the first
 * MAX_LISTED_ERRORS of them, and the count), and the new companies the rows name, one entry per company.
 *
 * A row is the whole truth of its record for the columns the file has; a column the file leaves out leaves that
 * field of an existing record alone. The `key` column holds a record's external key; a UUID there names the record
 * of that id (an export writes the id of a record that has no key), and a record created from such a row gets that id.
 */
export class RowChecker {
  readonly errors: FoundError[] = [];
  /** Every problem found, listed or not. */
  errorCount = 0;
  rows = 0;
  failedRows = 0;
  readonly newCompanies = new Map<string, NewCompany & { line: number; failed: boolean }>();
  private readonly present: Set<AnnouncementColumn>;
  private readonly columnIndex: Map<AnnouncementColumn, number>;
  /**
   * The plain fields with the index of their column in the file (-1 where it has none) and their default, and the
   * same for each source position (null where the file has none of its columns): looked up once, not per row.
   */
  private readonly plainCells: { field: PlainField; index: number; number: boolean; fallback: string | undefined }[];
  private readonly sourceCells: ({ field: SourceField; index: number }[] | null)[];

  constructor(
    private readonly header: AnnouncementColumn[],
    private readonly companies: NameIndex<NamedRecord>,
    private readonly chips: NameIndex<NamedChip>,
  ) {
    this.present = new Set(header);
    this.columnIndex = new Map(header.map((column, index) => [column, index]));
    const indexOf = (column: string) => this.columnIndex.get(column as AnnouncementColumn) ?? -1;
    this.plainCells = PLAIN_FIELDS.map(({ field, column, cell }) => ({
      field,
      index: indexOf(column),
      number: cell === 'number',
      fallback: (COMMITMENT_FIELDS[field] as { default?: string }).default,
    }));
    this.sourceCells = SOURCE_COLUMNS.map((columns) =>
      columns.some(({ column }) => this.present.has(column as AnnouncementColumn))
        ? columns.map(({ field, column }) => ({ field, index: indexOf(column) }))
        : null,
    );
  }

  /** Whether the file has this column. */
  has(column: AnnouncementColumn): boolean {
    return this.present.has(column);
  }

  /** A cell of the row by its column; undefined where the file has no such column. */
  private cellOf(cells: string[], column: string): string | undefined {
    const index = this.columnIndex.get(column as AnnouncementColumn);
    return index === undefined ? undefined : cells[index];
  }

  /** Checks one row on its own: its shape, its company and chip, and the API's validation of its fields. */
  check({ line, cells }: CsvRow): CheckedRow {
    this.rows++;
    const row: CheckedRow = { line, key: null, given: null };
    let failed = false;
    let step = 0;
    const report = (field: string, message: string, value?: string) => {
      failed = true;
      this.record({ phase: PHASE.ownChecks, step: ++step, line, field, message, ...(value ? { value } : {}) });
    };
    if (cells.length !== this.header.length) {
      report('row', `the row has ${cells.length} fields; the header has ${this.header.length}`);
      this.failedRows++;
      return row;
    }
    const cell = (column: AnnouncementColumn) => this.cellOf(cells, column) || undefined;
    const fail = (column: string, message: string) => report(column, message, this.cellOf(cells, column));
    row.key = cell('key') ?? null;

    const companyId = this.resolveCompany(line, cells, fail);
    // The host is named like the company (created when new, with kind `other`: the kind and country cells are the
    // company's); never the record's own company.
    const hostName = cell('host_company');
    const hostCompanyId = hostName ? this.resolveCompany(line, cells, fail, 'host_company') : undefined;
    if (hostCompanyId && hostCompanyId === companyId) fail('host_company', "the host must be another company than the record's own");
    let acceleratorId: string | undefined;
    const chipName = cell('accelerator');
    if (chipName) {
      acceleratorId = this.chips.find(chipName)?.id;
      if (!acceleratorId) fail('accelerator', `unknown chip "${chipName}": add it to the catalog or use its name or an alias`);
    }

    const fields: CommitmentFields = {
      key: row.key ?? undefined,
      companyId: companyId ?? randomUUID(),
      // An unknown chip is reported above; a stand-in id keeps the DTO from also asking for a kind.
      acceleratorId: chipName && !acceleratorId ? randomUUID() : acceleratorId,
      sources: this.sourcesOf(cells),
    };
    for (const { field, index, number: numeric } of this.plainCells) {
      const text = index === -1 ? undefined : cells[index] || undefined;
      fields[field] = numeric ? number(text) : text;
    }
    const dto = commitmentDto(fields);
    for (const error of validateInstance(dto)) fail(COLUMN_OF_FIELD[error.field] ?? error.field, error.messages.join('; '));
    if (failed || !companyId) {
      this.failedRows++;
      return row;
    }

    const given = <T>(column: AnnouncementColumn, value: T | null | undefined): T | null | undefined =>
      this.present.has(column) ? (value ?? null) : undefined;
    row.supersedes = given('supersedes', cell('supersedes'));
    row.partOf = given('part_of', cell('part_of'));
    const values: Record<string, unknown> = {
      companyId,
      acceleratorId: given('accelerator', acceleratorId),
      hostCompanyId: given('host_company', hostCompanyId),
    };
    for (const { field, index, fallback } of this.plainCells) {
      // An empty cell of a field with a default (certainty) is the default, as when a record is created without one.
      values[field] = index === -1 ? undefined : (dto[field] ?? fallback ?? null);
    }
    const sources: (Partial<SourceValues> | undefined)[] = [];
    for (const [position, columns] of this.sourceCells.entries()) {
      if (!columns) {
        sources.push(undefined);
        continue;
      }
      const source = dto.sources[position] as Partial<SourceValues> | undefined;
      const given: Partial<SourceValues> = {};
      for (const { field, index } of columns) given[field] = index === -1 ? undefined : (source?.[field] ?? null);
      sources.push(given);
    }
    row.given = { ...(values as Omit<GivenValues, 'sources'>), sources };
    return row;
  }

  /**
   * The row staged: matched to its record (`existing`, found by the row's key as an external key, or as an id), its
   * values merged into that record's, and the rules that need no other row applied.
   */
  stage(row: CheckedRow, existing: ExistingCommitment | undefined): StagedRow {
    const staged: StagedRow = {
      line: row.line,
      key: row.key,
      failed: true,
      id: null,
      recordKey: null,
      existing: null,
      idFromKey: false,
      values: null,
      window: null,
      sameValues: false,
      supersedes: row.supersedes,
      partOf: row.partOf,
      violations: { kind: null, window: null },
    };
    const given = row.given;
    if (!given) return staged;
    const match = existing ?? null;
    const idFromKey = !match && row.key !== null && UUID.test(row.key) ? row.key.toLowerCase() : null;
    const values = mergeValues(match, given);
    const chip = values.acceleratorId ? (this.chips.byId.get(values.acceleratorId) ?? null) : null;
    const requestedKind = given.acceleratorKind ?? (chip || !match ? undefined : match.acceleratorKind);
    const kind = settleAcceleratorKind(chip, requestedKind ?? undefined);
    const window = settleWindow(values);
    // Both name a field the row gave as written: the kind or the first delivery quarter.
    const violation = (settled: { violation?: RuleViolation }, value: string | null | undefined): ImportError | null =>
      settled.violation
        ? {
            line: row.line,
            field: COLUMN_OF_FIELD[settled.violation.field] ?? settled.violation.field,
            message: settled.violation.message,
            ...(value ? { value } : {}),
          }
        : null;
    if (kind.value) values.acceleratorKind = kind.value;
    values.quantityQualifier = settleQuantityQualifier(values.quantity, values.quantityQualifier);
    const bounds = boundsViolation(values);
    return {
      ...staged,
      failed: false,
      id: match?.id ?? idFromKey ?? newId(),
      recordKey: match ? match.key : idFromKey ? null : row.key,
      existing: match ? { version: match.version, supersedesId: match.supersedesId, partOfId: match.partOfId } : null,
      idFromKey: idFromKey !== null,
      values,
      window: window.value ?? null,
      sameValues: match !== null && sameValues(match, values),
      violations: {
        kind: violation(kind, given.acceleratorKind),
        window: violation(window, given.deliveryFrom),
        bounds: violation(bounds ? { violation: bounds } : {}, bounds === null ? null : String(values[bounds.field as 'amountLow'] ?? '')),
      },
    };
  }

  /**
   * The sources a row's cells give the DTO, by position: the first always (it is required), and the others up to the
   * last that has a cell, so that an empty source between two is refused by the position the analyst sees.
   */
  private sourcesOf(cells: string[]): CommitmentFields['sources'] {
    const sources: CommitmentFields['sources'] = [];
    let last = 0;
    for (const [position, columns] of SOURCE_COLUMNS.entries()) {
      const present = this.sourceCells[position];
      const source: CommitmentFields['sources'][number] = {};
      for (const [at, { field }] of columns.entries()) {
        const index = present ? present[at].index : -1;
        const text = index === -1 ? undefined : cells[index] || undefined;
        source[field] = text;
        if (text !== undefined) last = position;
      }
      sources.push(source);
    }
    sources.length = last + 1;
    return sources;
  }

  private record(error: FoundError): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(error);
  }

  private resolveCompany(
    line: number,
    cells: string[],
    fail: (column: AnnouncementColumn, message: string) => void,
    column: 'company' | 'host_company' = 'company',
  ): string | null {
    const name = this.cellOf(cells, column);
    if (!name) {
      fail(column, `${column} is required`);
      return null;
    }
    const known = this.companies.find(name);
    if (known) return known.id;
    const planned = this.newCompanies.get(name.toLowerCase());
    if (planned) {
      if (!planned.failed) return planned.id;
      fail(column, `the new company ${name} cannot be created (see line ${planned.line})`);
      return null;
    }
    const ownCells = column === 'company';
    const dto = plainToInstance(CreateCompanyDto, {
      name,
      kind: (ownCells && this.cellOf(cells, 'company_kind')) || undefined,
      country: (ownCells && this.cellOf(cells, 'country')) || undefined,
    });
    const errors = validateInstance(dto);
    const columns: Record<string, AnnouncementColumn> = { name: column, kind: 'company_kind', country: 'country' };
    for (const error of errors) fail(columns[error.field] ?? (error.field as AnnouncementColumn), error.messages.join('; '));
    const company = {
      id: newId(),
      name: dto.name,
      kind: dto.kind ?? 'other',
      country: dto.country ?? null,
      line,
      failed: errors.length > 0,
    };
    this.newCompanies.set(name.toLowerCase(), company);
    return company.failed ? null : company.id;
  }
}

/** The existing record a reference names: the live record with that external key, or else with that id. */
export function existingFinder(records: ExistingCommitment[]): (reference: string) => ExistingCommitment | undefined {
  const byKey = new Map(records.filter((record) => record.key !== null).map((record) => [record.key as string, record]));
  const byId = new Map(records.map((record) => [record.id, record]));
  return (reference) => byKey.get(reference) ?? (UUID.test(reference) ? byId.get(reference.toLowerCase()) : undefined);
}

/**
 * The existing record (or the defaults of a new one) overlaid with what the row gives; kind and qualifier settle
 * later. A source position the file has columns for takes the row's cells there (the others of that source stay);
 * a position it has none for keeps the record's source; empty sources drop out.
 */
function mergeValues(base: ExistingCommitment | null, given: GivenValues): CommitmentValues {
  const or = <T>(value: T | null | undefined, fallback: T | null): T | null => (value !== undefined ? value : fallback);
  const values: Record<string, unknown> = {
    companyId: given.companyId,
    acceleratorId: or(given.acceleratorId, base ? base.acceleratorId : null),
    hostCompanyId: or(given.hostCompanyId, base ? base.hostCompanyId : null),
    // The whole as stored: a file with a `part_of` column resolves its cells across rows (ImportStage).
    partOfId: base ? base.partOfId : null,
    supersedesId: base ? base.supersedesId : null,
  };
  for (const { field, fallback } of PLAIN_DEFAULTS) values[field] = or(given[field], base ? base[field] : fallback);
  // An empty kind cell falls back to the record's kind: the chip, or the rules, decide it (settleAcceleratorKind).
  values.acceleratorKind = given.acceleratorKind ?? base?.acceleratorKind;
  const baseSources = base?.sources ?? [];
  const sources: SourceValues[] = [];
  for (let position = 0; position < Math.max(MAX_SOURCES, baseSources.length); position++) {
    const cells = given.sources[position];
    const kept = baseSources[position];
    const source = cells ? fullSource(mergeSource(cells, kept)) : kept;
    if (source && SOURCE_FIELDS.some(({ field }) => source[field] !== null)) sources.push(fullSource(source));
  }
  return { ...(values as Omit<CommitmentValues, 'sources'>), sources };
}

function mergeSource(cells: Partial<SourceValues>, kept: SourceValues | undefined): Partial<SourceValues> {
  const merged: Partial<SourceValues> = {};
  for (const { field } of SOURCE_FIELDS) merged[field] = cells[field] !== undefined ? cells[field] : (kept?.[field] ?? null);
  return merged;
}

/**
 * A new record's id, as one flat string: randomUUID builds its text by concatenation, which V8 keeps as a tree of
 * pieces (about 490 bytes where the flat string takes about 60), and a large import holds one per row. Lowercasing
 * the lowercase text copies it flat.
 */
function newId(): string {
  return randomUUID().toLowerCase();
}

/** Numbers as written in the file; anything else passes through for the validators to name. */
function number(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return NUMBER.test(text) ? Number(text) : text;
}

/** Whether the values are the existing record's, its supersession and whole aside (those are resolved across rows). */
function sameValues(existing: ExistingCommitment, values: CommitmentValues): boolean {
  if (VALUE_FIELDS.some((field) => existing[field] !== values[field])) return false;
  return JSON.stringify(existing.sources.map(fullSource)) === JSON.stringify(values.sources);
}

/**
 * The DTO of a row's fields, built as plainToInstance(CreateCommitmentDto, fields) would build it: the cells are
 * trimmed already, which is all the DTO's own transforms do (`import-plan.spec.ts` holds the two equal), and
 * plainToInstance costs more than the validation itself over a large file.
 */
export function commitmentDto(fields: CommitmentFields): CreateCommitmentDto {
  const { sources, ...rest } = fields;
  return Object.assign(new CreateCommitmentDto(), rest, { sources: sources.map((source) => Object.assign(new SourceDto(), source)) });
}

/** The fields of a row as the DTO receives them: numbers where the cell is one, text otherwise. */
export type CommitmentFields = { [K in Exclude<keyof CreateCommitmentDto, 'sources'>]?: string | number | undefined } & {
  sources: { [K in keyof SourceDto]?: string | undefined }[];
};
