import { plainToInstance } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { stringPool } from '../common/text.js';
import { validateInstance } from '../common/validation.js';
import {
  type RuleViolation,
  settleAcceleratorKind,
  settleQuantityQualifier,
  settleWindow,
  supersessionCycles,
  supersessionViolation,
} from '../commitments/commitment-rules.js';
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
  /** The problems, by line; the first MAX_LISTED_ERRORS found when there are more (then `errorCount` says how many). */
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

export type RowOutcome = 'create' | 'update' | 'unchanged';

export interface PlannedRow {
  line: number;
  key: string | null;
  /** The record's id: the existing one, or the one it is created with. */
  id: string;
  existing: ExistingCommitment | null;
  values: CommitmentValues;
  window: DeliveryWindow;
  outcome: RowOutcome;
}

/** Reads the database for what the rows name; implemented over the import's connection. */
export interface ExistingRecords {
  /** Live commitments with one of these external keys or ids. */
  find(keys: string[], ids: string[]): Promise<ExistingCommitment[]>;
  /** Which of these ids belong to deleted commitments. */
  deletedIds(ids: string[]): Promise<string[]>;
  /** Live commitments that supersede one of these ids. */
  supersedersOf(ids: string[]): Promise<{ id: string; key: string | null; supersedesId: string }[]>;
  /** Every link of the supersession chains that start at these ids. */
  chainsFrom(ids: string[]): Promise<{ id: string; supersedesId: string | null }[]>;
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

/** What is kept of a row once its own checks are done (its cells are not: a large file would hold them all). */
interface ParsedRow {
  line: number;
  key: string | null;
  /** The values the row gives, until they are merged into its record's. */
  given: GivenValues | null;
  /** The `supersedes` cell: undefined where the file has no such column, null where it is empty. */
  supersedes?: string | null;
  failed: boolean;
}

/** A report lists this many problems at most (a file of garbage would otherwise list one per line). */
export const MAX_LISTED_ERRORS = 1_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
  'supersedesId',
  'notes',
] as const;
const SOURCE_FIELDS = ['url', 'title', 'publisher', 'publishedOn', 'language', 'quote'] as const;
const NO_SOURCE: SourceValues = { url: null, title: null, publisher: null, publishedOn: null, language: null, quote: null };

/**
 * Checks an announcements file row by row as it streams in, then resolves what the rows name in the database and
 * between each other, and says for each row whether it creates, updates or leaves a record alone. Nothing here
 * writes; every problem of the file is collected, not just the first.
 *
 * A row is the whole truth of its record for the columns the file has; a column the file leaves out leaves that
 * field of an existing record alone. The `key` column holds a record's external key; a UUID there names the record
 * of that id (an export writes the id of a record that has no key), and a record created from such a row gets that id.
 */
export class ImportPlanner {
  readonly errors: ImportError[] = [];
  /** Every problem found, listed or not. */
  errorCount = 0;
  readonly newCompanies = new Map<string, NewCompany & { line: number; failed: boolean }>();
  private readonly parsed: ParsedRow[] = [];
  private readonly repeatedValues = stringPool();
  private readonly rowsByKey = new Map<string, ParsedRow>();
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

  /** A cell of the row by its column; undefined where the file has no such column. */
  private cellOf(cells: string[], column: string): string | undefined {
    const index = this.columnIndex.get(column as AnnouncementColumn);
    return index === undefined ? undefined : cells[index];
  }

  /** Checks one row on its own: its shape, its company and chip, and the API's validation of its fields. */
  addRow({ line, cells }: CsvRow): void {
    const row: ParsedRow = { line, key: null, given: null, failed: false };
    this.parsed.push(row);
    if (cells.length !== this.header.length) {
      this.fail(row, 'row', `the row has ${cells.length} fields; the header has ${this.header.length}`);
      return;
    }
    const cell = (column: AnnouncementColumn) => this.cellOf(cells, column) || undefined;
    const fail = (column: string, message: string) => this.fail(row, column, message, this.cellOf(cells, column));

    row.key = cell('key') ?? null;
    if (row.key !== null) {
      const first = this.rowsByKey.get(row.key);
      if (first) fail('key', `the key repeats line ${first.line}`);
      else this.rowsByKey.set(row.key, row);
    }

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
    if (row.failed || !companyId) return;

    const given = <T>(column: AnnouncementColumn, value: T | null | undefined): T | null | undefined =>
      this.present.has(column) ? (value ?? null) : undefined;
    // The rows stay in memory until they are written: a value that repeats from row to row is kept once.
    const repeated = <T>(value: T): T => (typeof value === 'string' ? (this.repeatedValues(value) as T) : value);
    const source = dto.sources[0];
    row.supersedes = given('supersedes', cell('supersedes'));
    row.given = {
      companyId,
      acceleratorId: given('accelerator', acceleratorId),
      acceleratorKind: given('accelerator_kind', repeated(dto.acceleratorKind)),
      quantity: given('quantity', dto.quantity),
      quantityQualifier: given('quantity_qualifier', repeated(dto.quantityQualifier)),
      statedH100e: given('stated_h100e', dto.statedH100e),
      statedPowerMw: given('stated_power_mw', dto.statedPowerMw),
      announcedOn: repeated(dto.announcedOn),
      deliveryFrom: given('delivery_from', repeated(dto.deliveryFrom)),
      deliveryBy: given('delivery_by', repeated(dto.deliveryBy)),
      status: repeated(dto.status),
      // An empty certainty is the default, as when a record is created without one.
      certainty: given('certainty', repeated(dto.certainty) ?? 'likely'),
      notes: given('notes', dto.notes),
      source: {
        url: given('source_url', source.url),
        title: given('source_title', source.title),
        publisher: given('source_publisher', repeated(source.publisher)),
        publishedOn: given('source_published_on', repeated(source.publishedOn)),
        language: given('source_language', repeated(source.language)),
        quote: given('source_quote', source.quote),
      },
    };
  }

  /**
   * Resolves what the rows name in the database and in each other (keys, supersession), applies the rules the API
   * applies, and decides each row's outcome. Returns the rows to write and the report.
   */
  async resolve(records: ExistingRecords): Promise<{ rows: PlannedRow[]; report: ImportReport }> {
    const candidates = this.parsed.filter((row) => !row.failed && row.given);
    const references = new Set<string>();
    for (const row of candidates) {
      if (row.key) references.add(row.key);
      const target = row.supersedes;
      if (target && !this.rowsByKey.has(target)) references.add(target);
    }
    const existing = await records.find(
      [...references],
      [...references].filter((reference) => UUID.test(reference)),
    );
    const existingByKey = new Map(existing.filter((record) => record.key !== null).map((record) => [record.key as string, record]));
    const existingById = new Map(existing.map((record) => [record.id, record]));
    const lookUp = (reference: string) =>
      existingByKey.get(reference) ?? (UUID.test(reference) ? existingById.get(reference.toLowerCase()) : undefined);

    // Which record each row is: an existing one (by key, or by id), or a new one.
    const planned = new Map<ParsedRow, PlannedRow>();
    const rowOfId = new Map<string, PlannedRow>();
    const unmatchedIds: ParsedRow[] = [];
    for (const row of candidates) {
      const match = row.key ? lookUp(row.key) : undefined;
      const idFromKey = !match && row.key && UUID.test(row.key) ? row.key.toLowerCase() : null;
      if (idFromKey) unmatchedIds.push(row);
      const plan: PlannedRow = {
        line: row.line,
        key: match ? match.key : idFromKey ? null : row.key,
        id: match?.id ?? idFromKey ?? newId(),
        existing: match ?? null,
        values: null as unknown as CommitmentValues,
        window: { first: 0, last: 0 },
        outcome: 'create',
      };
      const twin = rowOfId.get(plan.id);
      if (twin) {
        this.fail(row, 'key', `names the same record as line ${twin.line}`, row.key ?? undefined);
        continue;
      }
      rowOfId.set(plan.id, plan);
      planned.set(row, plan);
    }
    const deleted = new Set(await records.deletedIds(unmatchedIds.map((row) => (row.key as string).toLowerCase())));
    for (const row of unmatchedIds) {
      if (deleted.has((row.key as string).toLowerCase())) {
        this.reject(row, planned, rowOfId, 'key', `commitment ${row.key} was deleted`, row.key ?? undefined);
      }
    }

    // Each row's values: the existing record (or the defaults) overlaid with what the row gives, then the API's rules.
    for (const [row, plan] of planned) {
      const given = row.given as GivenValues;
      const base = plan.existing;
      const values = mergeValues(base, given);
      const chip = values.acceleratorId ? (this.chips.byId.get(values.acceleratorId) ?? null) : null;
      const requestedKind = given.acceleratorKind ?? (chip || !base ? undefined : base.acceleratorKind);
      const kind = settleAcceleratorKind(chip, requestedKind ?? undefined);
      const window = settleWindow(values);
      const violations = [kind.violation, window.violation].filter((violation) => violation !== undefined);
      if (violations.length > 0) {
        // Both name a field the row gave as written: the kind or the first delivery quarter.
        for (const violation of violations)
          this.violate(row, violation, given[violation.field as 'acceleratorKind' | 'deliveryFrom'] ?? undefined);
        planned.delete(row);
        rowOfId.delete(plan.id);
        continue;
      }
      values.acceleratorKind = kind.value as AcceleratorKind;
      values.quantityQualifier = settleQuantityQualifier(values.quantity, values.quantityQualifier);
      plan.window = window.value as DeliveryWindow;
      plan.values = values;
      row.given = null;
    }

    // Supersession: resolve the references, then the rules over the records as they will be.
    for (const [row, plan] of planned) {
      const reference = row.supersedes;
      if (reference === undefined) continue;
      if (reference === null) {
        plan.values.supersedesId = null;
        continue;
      }
      const inFile = this.rowsByKey.get(reference);
      if (inFile) {
        const target = planned.get(inFile);
        if (target) plan.values.supersedesId = target.id;
        else this.reject(row, planned, rowOfId, 'supersedes', `the row with key ${reference} (line ${inFile.line}) has errors`, reference);
        continue;
      }
      const target = lookUp(reference);
      if (target) plan.values.supersedesId = target.id;
      else this.reject(row, planned, rowOfId, 'supersedes', `no row of the file and no record has the key or id ${reference}`, reference);
    }
    await this.checkSupersession(records, planned, rowOfId, existingById);

    // Outcomes.
    const rows = [...planned.values()];
    for (const plan of rows) plan.outcome = !plan.existing ? 'create' : sameValues(plan.existing, plan.values) ? 'unchanged' : 'update';
    this.errors.sort((a, b) => a.line - b.line);
    const failedRows = this.parsed.filter((row) => row.failed).length;
    const clean = this.errorCount === 0;
    const count = (outcome: RowOutcome) => (clean ? rows.filter((plan) => plan.outcome === outcome).length : 0);
    const report: ImportReport = {
      rows: this.parsed.length,
      valid: this.parsed.length - failedRows,
      created: count('create'),
      updated: count('update'),
      unchanged: count('unchanged'),
      errors: this.errors,
      ...(this.errorCount > this.errors.length ? { errorCount: this.errorCount } : {}),
    };
    // The planned rows carry all the write needs: the parsed ones go now rather than with the planner.
    this.parsed.length = 0;
    this.rowsByKey.clear();
    return { rows: clean ? rows : [], report };
  }

  /** The new companies the rows to write use. */
  companiesToCreate(rows: PlannedRow[]): NewCompany[] {
    const used = new Set(rows.map((row) => row.values.companyId));
    return [...this.newCompanies.values()]
      .filter((company) => !company.failed && used.has(company.id))
      .map(({ id, name, kind, country }) => ({ id, name, kind, country }));
  }

  private async checkSupersession(
    records: ExistingRecords,
    planned: Map<ParsedRow, PlannedRow>,
    rowOfId: Map<string, PlannedRow>,
    existingById: Map<string, ExistingCommitment>,
  ): Promise<void> {
    const superseding = [...planned].filter(([, plan]) => plan.values.supersedesId !== null);
    const targetIds = [...new Set(superseding.map(([, plan]) => plan.values.supersedesId as string))];
    const unknownTargets = targetIds.filter((id) => !rowOfId.has(id) && !existingById.has(id));
    for (const record of await records.find([], unknownTargets)) existingById.set(record.id, record);
    const outsideTargets = targetIds.filter((id) => !rowOfId.has(id));
    // Records of the database keep their links unless a row of the file rewrites them.
    const links = new Map((await records.chainsFrom(outsideTargets)).map((link) => [link.id, link.supersedesId]));
    const next = (id: string) => (rowOfId.has(id) ? rowOfId.get(id)?.values.supersedesId : links.get(id));
    const rivals = new Map<string, string>();
    for (const rival of await records.supersedersOf(targetIds)) {
      if (!rowOfId.has(rival.id)) rivals.set(rival.supersedesId, rival.key ?? rival.id);
    }
    const onCycle = supersessionCycles(
      superseding.map(([, plan]) => plan.id),
      next,
    );

    for (const [row, plan] of superseding.sort(([a], [b]) => a.line - b.line)) {
      const targetId = plan.values.supersedesId as string;
      const inFile = rowOfId.get(targetId);
      const target = inFile ? inFile.values : (existingById.get(targetId) ?? null);
      const violation = supersessionViolation({
        record: { id: plan.id, companyId: plan.values.companyId },
        targetId,
        target,
        rivalId: rivals.get(targetId) ?? null,
        formsCycle: onCycle.has(plan.id),
      });
      if (violation) {
        const reference = row.supersedes ?? targetId;
        this.violate(row, { ...violation, message: violation.message.replace(targetId, reference) }, reference);
      } else rivals.set(targetId, `the row on line ${row.line}`);
    }
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

  private fail(row: ParsedRow, field: string, message: string, value?: string): void {
    row.failed = true;
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ line: row.line, field, message, ...(value ? { value } : {}) });
  }

  /** A rule broken after the row's own checks; `value` is what the row wrote in the field the rule names. */
  private violate(row: ParsedRow, violation: RuleViolation, value: string | undefined): void {
    this.fail(row, COLUMN_OF_FIELD[violation.field] ?? violation.field, violation.message, value);
  }

  /** A row that fails after it was matched to a record: it no longer takes part. */
  private reject(
    row: ParsedRow,
    planned: Map<ParsedRow, PlannedRow>,
    rowOfId: Map<string, PlannedRow>,
    field: string,
    message: string,
    value?: string,
  ) {
    this.fail(row, field, message, value);
    const plan = planned.get(row);
    if (plan) rowOfId.delete(plan.id);
    planned.delete(row);
  }
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
