import { plainToInstance } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { validateInstance } from '../common/validation.js';
import { type RuleViolation, settleAcceleratorKind, settleQuantityQualifier, settleWindow } from '../commitments/commitment-rules.js';
import { CreateCommitmentDto, SourceDto } from '../commitments/dto/commitment.dto.js';
import { CreateCompanyDto } from '../companies/dto/company.dto.js';
import type { DeliveryWindow } from '../domain/delivery-window.js';
import type { AcceleratorKind, Certainty, CommitmentStatus, CompanyKind, QuantityQualifier } from '../domain/vocabulary.js';
import { type AnnouncementColumn, COLUMN_OF_FIELD } from './announcement-columns.js';
import type { CsvRow } from './csv-reader.js';

export interface ImportError {
  /** The line of the file the row starts on; the header is line 1. */
  line: number;
  /** The column (or `row` for the row as a whole). */
  field: string;
  message: string;
  value?: string;
}

export interface ImportReport {
  /** Data rows in the file. */
  rows: number;
  /** Rows without an error. */
  valid: number;
  /** What the import did (or, in a dry run, would do); all 0 when the file has errors, since nothing is written. */
  created: number;
  updated: number;
  unchanged: number;
  /** The problems, by line; the first MAX_LISTED_ERRORS of them when there are more (then `errorCount` says how many). */
  errors: ImportError[];
  errorCount?: number;
}

export interface SourceValues {
  url: string | null;
  title: string | null;
  publisher: string | null;
  publishedOn: string | null;
  language: string | null;
  quote: string | null;
}

/** A commitment as an import leaves it. */
export interface CommitmentValues {
  companyId: string;
  acceleratorId: string | null;
  acceleratorKind: AcceleratorKind;
  quantity: number | null;
  quantityQualifier: QuantityQualifier | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
  status: CommitmentStatus;
  certainty: Certainty;
  supersedesId: string | null;
  notes: string | null;
  source: SourceValues;
}

/** A live commitment that a row names (by key or id) or supersedes, with its first source. */
export interface ExistingCommitment extends Omit<CommitmentValues, 'source'> {
  id: string;
  key: string | null;
  version: number;
  source: SourceValues | null;
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

/** The fields a row gives: undefined where its column is absent from the file, null where the cell is empty. */
type GivenValues = { [K in keyof Omit<CommitmentValues, 'source' | 'supersedesId'>]?: CommitmentValues[K] | null } & {
  source: Partial<SourceValues>;
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
export const PHASE = { ownChecks: 1, sameRecord: 2, deleted: 3, rules: 4, references: 5, supersession: 6 } as const;

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
  existing: { version: number; supersedesId: string | null } | null;
  /** The key is a UUID that names no live record: the id a new record gets, unless a deleted one has it. */
  idFromKey: boolean;
  /** The values, with the supersession the record has; the `supersedes` cell is resolved across rows. */
  values: CommitmentValues | null;
  window: DeliveryWindow | null;
  /** Whether the values, supersession aside, are the existing record's. */
  sameValues: boolean;
  supersedes: string | null | undefined;
  /** The kind and window rules the row breaks, reported unless an earlier check across rows fails the row. */
  violations: { kind: ImportError | null; window: ImportError | null };
}

/** A report lists this many problems at most (a file of garbage would otherwise list one per line). */
export const MAX_LISTED_ERRORS = 1_000;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const VALUE_FIELDS = [
  'companyId',
  'acceleratorId',
  'acceleratorKind',
  'quantity',
  'quantityQualifier',
  'statedH100e',
  'statedPowerMw',
  'announcedOn',
  'deliveryFrom',
  'deliveryBy',
  'status',
  'certainty',
  'notes',
] as const;
const SOURCE_FIELDS = ['url', 'title', 'publisher', 'publishedOn', 'language', 'quote'] as const;
const NO_SOURCE: SourceValues = { url: null, title: null, publisher: null, publishedOn: null, language: null, quote: null };

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

  constructor(
    private readonly header: AnnouncementColumn[],
    private readonly companies: NameIndex<NamedRecord>,
    private readonly chips: NameIndex<NamedChip>,
  ) {
    this.present = new Set(header);
    this.columnIndex = new Map(header.map((column, index) => [column, index]));
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
    let acceleratorId: string | undefined;
    const chipName = cell('accelerator');
    if (chipName) {
      acceleratorId = this.chips.find(chipName)?.id;
      if (!acceleratorId) fail('accelerator', `unknown chip "${chipName}": add it to the catalog or use its name or an alias`);
    }

    const dto = commitmentDto({
      key: row.key ?? undefined,
      companyId: companyId ?? randomUUID(),
      // An unknown chip is reported above; a stand-in id keeps the DTO from also asking for a kind.
      acceleratorId: chipName && !acceleratorId ? randomUUID() : acceleratorId,
      acceleratorKind: cell('accelerator_kind'),
      quantity: number(cell('quantity')),
      quantityQualifier: cell('quantity_qualifier'),
      statedH100e: number(cell('stated_h100e')),
      statedPowerMw: number(cell('stated_power_mw')),
      announcedOn: cell('announced_on'),
      deliveryFrom: cell('delivery_from'),
      deliveryBy: cell('delivery_by'),
      status: cell('status'),
      certainty: cell('certainty'),
      sources: [
        {
          url: cell('source_url'),
          title: cell('source_title'),
          publisher: cell('source_publisher'),
          publishedOn: cell('source_published_on'),
          language: cell('source_language'),
          quote: cell('source_quote'),
        },
      ],
      notes: cell('notes'),
    });
    for (const error of validateInstance(dto)) fail(COLUMN_OF_FIELD[error.field] ?? error.field, error.messages.join('; '));
    if (failed || !companyId) {
      this.failedRows++;
      return row;
    }

    const given = <T>(column: AnnouncementColumn, value: T | null | undefined): T | null | undefined =>
      this.present.has(column) ? (value ?? null) : undefined;
    const source = dto.sources[0];
    row.supersedes = given('supersedes', cell('supersedes'));
    row.given = {
      companyId,
      acceleratorId: given('accelerator', acceleratorId),
      acceleratorKind: given('accelerator_kind', dto.acceleratorKind),
      quantity: given('quantity', dto.quantity),
      quantityQualifier: given('quantity_qualifier', dto.quantityQualifier),
      statedH100e: given('stated_h100e', dto.statedH100e),
      statedPowerMw: given('stated_power_mw', dto.statedPowerMw),
      announcedOn: dto.announcedOn,
      deliveryFrom: given('delivery_from', dto.deliveryFrom),
      deliveryBy: given('delivery_by', dto.deliveryBy),
      status: dto.status,
      // An empty certainty is the default, as when a record is created without one.
      certainty: given('certainty', dto.certainty ?? 'likely'),
      notes: given('notes', dto.notes),
      source: {
        url: given('source_url', source.url),
        title: given('source_title', source.title),
        publisher: given('source_publisher', source.publisher),
        publishedOn: given('source_published_on', source.publishedOn),
        language: given('source_language', source.language),
        quote: given('source_quote', source.quote),
      },
    };
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
    return {
      ...staged,
      failed: false,
      id: match?.id ?? idFromKey ?? newId(),
      recordKey: match ? match.key : idFromKey ? null : row.key,
      existing: match ? { version: match.version, supersedesId: match.supersedesId } : null,
      idFromKey: idFromKey !== null,
      values,
      window: window.value ?? null,
      sameValues: match !== null && sameValues(match, values),
      violations: { kind: violation(kind, given.acceleratorKind), window: violation(window, given.deliveryFrom) },
    };
  }

  private record(error: FoundError): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(error);
  }

  private resolveCompany(line: number, cells: string[], fail: (column: AnnouncementColumn, message: string) => void): string | null {
    const name = this.cellOf(cells, 'company');
    if (!name) {
      fail('company', 'company is required');
      return null;
    }
    const known = this.companies.find(name);
    if (known) return known.id;
    const planned = this.newCompanies.get(name.toLowerCase());
    if (planned) {
      if (!planned.failed) return planned.id;
      fail('company', `the new company ${name} cannot be created (see line ${planned.line})`);
      return null;
    }
    const dto = plainToInstance(CreateCompanyDto, {
      name,
      kind: this.cellOf(cells, 'company_kind') || undefined,
      country: this.cellOf(cells, 'country') || undefined,
    });
    const errors = validateInstance(dto);
    const columns: Record<string, AnnouncementColumn> = { name: 'company', kind: 'company_kind', country: 'country' };
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

/** The existing record (or the defaults of a new one) overlaid with what the row gives; kind and qualifier settle later. */
function mergeValues(base: ExistingCommitment | null, given: GivenValues): CommitmentValues {
  const or = <T>(value: T | null | undefined, fallback: T | null): T | null => (value !== undefined ? value : fallback);
  const source = base?.source ?? NO_SOURCE;
  return {
    companyId: given.companyId as string,
    acceleratorId: or(given.acceleratorId, base ? base.acceleratorId : null),
    acceleratorKind: (given.acceleratorKind ?? base?.acceleratorKind) as AcceleratorKind,
    quantity: or(given.quantity, base ? base.quantity : null),
    quantityQualifier: or(given.quantityQualifier, base ? base.quantityQualifier : null),
    statedH100e: or(given.statedH100e, base ? base.statedH100e : null),
    statedPowerMw: or(given.statedPowerMw, base ? base.statedPowerMw : null),
    announcedOn: given.announcedOn as string,
    deliveryFrom: or(given.deliveryFrom, base ? base.deliveryFrom : null),
    deliveryBy: or(given.deliveryBy, base ? base.deliveryBy : null),
    status: given.status as CommitmentStatus,
    certainty: or(given.certainty, base ? base.certainty : 'likely') as Certainty,
    supersedesId: base ? base.supersedesId : null,
    notes: or(given.notes, base ? base.notes : null),
    source: {
      url: or(given.source.url, source.url),
      title: or(given.source.title, source.title),
      publisher: or(given.source.publisher, source.publisher),
      publishedOn: or(given.source.publishedOn, source.publishedOn),
      language: or(given.source.language, source.language),
      quote: or(given.source.quote, source.quote),
    },
  };
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

/** Whether the values are the existing record's, its supersession aside (that is resolved across rows). */
function sameValues(existing: ExistingCommitment, values: CommitmentValues): boolean {
  if (VALUE_FIELDS.some((field) => existing[field] !== values[field])) return false;
  const source = existing.source ?? NO_SOURCE;
  return SOURCE_FIELDS.every((field) => source[field] === values.source[field]);
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
