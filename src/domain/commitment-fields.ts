import { ACCELERATOR_KINDS, CERTAINTIES, COMMITMENT_STATUSES, QUANTITY_QUALIFIERS } from './vocabulary.js';

/**
 * The one declaration of a commitment's fields. Everything that lists a commitment's columns is derived from it: the
 * entity's column mapping, the UPDATE and INSERT statements of the writer, the import's staging table, the import and
 * export CSV columns and the audit entries an import writes. Adding a plain field is one entry here, a migration, the
 * DTO's validation of it (`CreateCommitmentDto`, by the same name) and, where it changes the arithmetic, the domain.
 */
export interface FieldDeclaration {
  /** The database column. */
  readonly column: string;
  /** The PostgreSQL type as a cast names it (an enum by its type name). */
  readonly pgType: string;
  /** The values of an enum column. */
  readonly enum?: readonly string[];
  readonly nullable: boolean;
  /**
   * The CSV column that carries the field as a plain value, and how its cell is read: `number` where the cell holds
   * a number (anything else passes through for the validation to name), `text` otherwise. A field without one is
   * written by name (company, chip, supersedes) or derived.
   */
  readonly csv?: { readonly column: string; readonly cell: 'text' | 'number' };
  /** The value a new record takes when it gives none (null where none is declared and the column is nullable). */
  readonly default?: string;
  /** Derived by the writer from the other fields: never given, never shown in an audit entry. */
  readonly derived?: boolean;
  /** How people call the field (audit trail, error reports). */
  readonly label: string;
}

const plain = (column: string, cell: 'text' | 'number' = 'text') => ({ column, cell });

export const COMMITMENT_FIELDS = {
  key: { column: 'external_key', pgType: 'text', nullable: true, label: 'Key' },
  companyId: { column: 'company_id', pgType: 'uuid', nullable: false, label: 'Company' },
  acceleratorId: { column: 'accelerator_id', pgType: 'uuid', nullable: true, label: 'Chip' },
  acceleratorKind: {
    column: 'accelerator_kind',
    pgType: 'accelerator_kind',
    enum: ACCELERATOR_KINDS,
    nullable: false,
    csv: plain('accelerator_kind'),
    label: 'Chip kind',
  },
  quantity: { column: 'quantity', pgType: 'integer', nullable: true, csv: plain('quantity', 'number'), label: 'Quantity' },
  quantityQualifier: {
    column: 'quantity_qualifier',
    pgType: 'quantity_qualifier',
    enum: QUANTITY_QUALIFIERS,
    nullable: true,
    csv: plain('quantity_qualifier'),
    label: 'Quantity qualifier',
  },
  statedH100e: {
    column: 'stated_h100e',
    pgType: 'double precision',
    nullable: true,
    csv: plain('stated_h100e', 'number'),
    label: 'Stated H100e',
  },
  statedPowerMw: {
    column: 'stated_power_mw',
    pgType: 'double precision',
    nullable: true,
    csv: plain('stated_power_mw', 'number'),
    label: 'Stated power (MW)',
  },
  amountLow: {
    column: 'amount_low',
    pgType: 'double precision',
    nullable: true,
    csv: plain('amount_low', 'number'),
    label: 'Lowest amount',
  },
  amountHigh: {
    column: 'amount_high',
    pgType: 'double precision',
    nullable: true,
    csv: plain('amount_high', 'number'),
    label: 'Highest amount',
  },
  announcedOn: { column: 'announced_on', pgType: 'date', nullable: false, csv: plain('announced_on'), label: 'Announced on' },
  deliveryFrom: { column: 'delivery_from', pgType: 'text', nullable: true, csv: plain('delivery_from'), label: 'Delivery from' },
  deliveryBy: { column: 'delivery_by', pgType: 'text', nullable: true, csv: plain('delivery_by'), label: 'Delivery by' },
  windowFirstQuarter: { column: 'window_first_quarter', pgType: 'integer', nullable: false, derived: true, label: 'First quarter' },
  windowLastQuarter: { column: 'window_last_quarter', pgType: 'integer', nullable: false, derived: true, label: 'Last quarter' },
  status: {
    column: 'status',
    pgType: 'commitment_status',
    enum: COMMITMENT_STATUSES,
    nullable: false,
    csv: plain('status'),
    label: 'Status',
  },
  certainty: {
    column: 'certainty',
    pgType: 'certainty',
    enum: CERTAINTIES,
    nullable: false,
    csv: plain('certainty'),
    default: 'likely',
    label: 'Certainty',
  },
  supersedesId: { column: 'supersedes_id', pgType: 'uuid', nullable: true, label: 'Supersedes' },
  notes: { column: 'notes', pgType: 'text', nullable: true, csv: plain('notes'), label: 'Notes' },
  // Counting: owners and users, wholes and parts (docs/decisions/counting.md). The host and the whole are written by
  // name and key (`host_company`, `part_of`), the site country as its code.
  hostCompanyId: { column: 'host_company_id', pgType: 'uuid', nullable: true, label: 'Host company' },
  partOfId: { column: 'part_of_id', pgType: 'uuid', nullable: true, label: 'Part of' },
  siteCountry: { column: 'site_country', pgType: 'text', nullable: true, csv: plain('site_country'), label: 'Site country' },
} as const satisfies Record<string, FieldDeclaration>;

export type CommitmentField = keyof typeof COMMITMENT_FIELDS;

const entries = Object.entries(COMMITMENT_FIELDS) as [CommitmentField, FieldDeclaration][];

/** Every declared field, in the order of the declaration. */
export const FIELD_NAMES: readonly CommitmentField[] = entries.map(([field]) => field);

/** The fields a CSV cell carries as a plain value, with their column. */
export const PLAIN_FIELDS = entries.flatMap(([field, declaration]) =>
  declaration.csv ? [{ field, column: declaration.csv.column, cell: declaration.csv.cell }] : [],
) as readonly { field: PlainField; column: string; cell: 'text' | 'number' }[];

export type PlainField = {
  [K in CommitmentField]: (typeof COMMITMENT_FIELDS)[K] extends { csv: object } ? K : never;
}[CommitmentField];

/** The fields someone gives (not derived), as an audit entry shows them. */
export const GIVEN_FIELDS: readonly CommitmentField[] = entries.filter(([, declaration]) => !declaration.derived).map(([field]) => field);

/** The TypeORM column options of a field, for the entity: `@Column(columnOptions('quantity'))`. */
export function columnOptions(field: CommitmentField): {
  name: string;
  type: string;
  nullable: boolean;
  enum?: string[];
  enumName?: string;
} {
  const declaration: FieldDeclaration = COMMITMENT_FIELDS[field];
  const base = { name: declaration.column, nullable: declaration.nullable };
  return declaration.enum
    ? { ...base, type: 'enum', enum: [...declaration.enum], enumName: declaration.pgType }
    : { ...base, type: declaration.pgType };
}

/** A field's column, by its name. */
export function columnOf(field: CommitmentField): string {
  return COMMITMENT_FIELDS[field].column;
}

/** `column type` pairs, as `jsonb_to_recordset(…) AS r(…)` and `CREATE TABLE` take them. */
export function columnDefinitions(fields: readonly CommitmentField[]): string {
  return fields.map((field) => `${COMMITMENT_FIELDS[field].column} ${COMMITMENT_FIELDS[field].pgType}`).join(', ');
}

/** `prefix.column AS "field"` for each field, to read records in their API names. */
export function selectFields(fields: readonly CommitmentField[], prefix: string): string {
  return fields.map((field) => `${prefix}.${COMMITMENT_FIELDS[field].column} AS "${field}"`).join(', ');
}

/** `'field', prefix.column` for each field, as `jsonb_build_object` takes them. */
export function jsonFields(fields: readonly CommitmentField[], prefix: string): string {
  return fields.map((field) => `'${field}', ${prefix}.${COMMITMENT_FIELDS[field].column}`).join(', ');
}

// ---- Sources ----

/** The fields of a source, with their column and the suffix of their CSV column (`source_url`, `source_2_url`). */
export const SOURCE_FIELDS = [
  { field: 'url', column: 'url', pgType: 'text', csv: 'url' },
  { field: 'title', column: 'title', pgType: 'text', csv: 'title' },
  { field: 'publisher', column: 'publisher', pgType: 'text', csv: 'publisher' },
  { field: 'publishedOn', column: 'published_on', pgType: 'date', csv: 'published_on' },
  { field: 'language', column: 'language', pgType: 'text', csv: 'language' },
  { field: 'quote', column: 'quote', pgType: 'text', csv: 'quote' },
] as const;

export type SourceField = (typeof SOURCE_FIELDS)[number]['field'];
export type SourceValues = Record<SourceField, string | null>;

/** A record names 1 to MAX_SOURCES sources. */
export const MAX_SOURCES = 5;

/** The CSV column of a source field at a position (0: the first source, `source_url`; 1: `source_2_url`). */
export function sourceColumn(position: number, field: SourceField): string {
  const suffix = SOURCE_FIELDS.find((source) => source.field === field)?.csv ?? field;
  return position === 0 ? `source_${suffix}` : `source_${position + 1}_${suffix}`;
}

/** A source with every field, null where it gives none. */
export function fullSource(source: Partial<Record<SourceField, string | null | undefined>>): SourceValues {
  // A loop rather than Object.fromEntries: an import builds several per row.
  const full: Partial<SourceValues> = {};
  for (const { field } of SOURCE_FIELDS) full[field] = source[field] ?? null;
  return full as SourceValues;
}

/** `jsonb_to_recordset(…) AS s("publishedOn" date, …)` column list for sources held in JSON by their API names. */
export const SOURCE_RECORD = SOURCE_FIELDS.map(({ field, pgType }) => `"${field}" ${pgType}`).join(', ');

/** The sources of the record `c` as a JSON array in their order, with their API names (null without any). */
export function sourcesJson(recordId: string): string {
  const fields = SOURCE_FIELDS.map(({ field, column }) => `'${field}', s.${column}`).join(', ');
  return `(SELECT jsonb_agg(jsonb_build_object(${fields}) ORDER BY s.position) FROM commitment_sources s WHERE s.commitment_id = ${recordId})`;
}

// ---- The announcements CSV ----

/**
 * The columns of an announcements CSV (import and export), in order: the record's key and the names of its company
 * (with the kind and country a new company takes), chip and superseded record, its plain fields, and its sources.
 * Only REQUIRED_COLUMNS must be present. The first source's columns and the notes keep the order of the first release's
 * files; the second to fifth sources follow, then the counting columns (host company, site country, whole).
 */
/** The plain fields of the counting columns, written after the sources so that the older columns keep their places. */
const COUNTING_COLUMNS: readonly string[] = ['siteCountry'];

export const ANNOUNCEMENT_COLUMNS: readonly string[] = [
  'key',
  'company',
  'company_kind',
  'country',
  'accelerator',
  ...PLAIN_FIELDS.filter(({ field }) => field !== 'notes' && !COUNTING_COLUMNS.includes(field)).map(({ column }) => column),
  'supersedes',
  ...SOURCE_FIELDS.filter(({ field }) => field !== 'quote').map(({ field }) => sourceColumn(0, field)),
  COMMITMENT_FIELDS.notes.csv.column,
  sourceColumn(0, 'quote'),
  ...Array.from({ length: MAX_SOURCES - 1 }, (_, index) => SOURCE_FIELDS.map(({ field }) => sourceColumn(index + 1, field))).flat(),
  'host_company',
  COMMITMENT_FIELDS.siteCountry.csv.column,
  'part_of',
];

export type AnnouncementColumn = string;

export const REQUIRED_COLUMNS: readonly string[] = [
  'company',
  COMMITMENT_FIELDS.announcedOn.csv.column,
  COMMITMENT_FIELDS.status.csv.column,
];

/** Which CSV column holds each field of a commitment (as the API names it), so errors name the column the analyst sees. */
export const COLUMN_OF_FIELD: Readonly<Record<string, string>> = {
  key: 'key',
  companyId: 'company',
  acceleratorId: 'accelerator',
  supersedesId: 'supersedes',
  hostCompanyId: 'host_company',
  partOfId: 'part_of',
  ...Object.fromEntries(PLAIN_FIELDS.map(({ field, column }) => [field, column])),
  ...Object.fromEntries(
    Array.from({ length: MAX_SOURCES }, (_, position) =>
      SOURCE_FIELDS.map(({ field }) => [`sources[${position}].${field}`, sourceColumn(position, field)]),
    ).flat(),
  ),
  sources: sourceColumn(0, 'title'),
};
