import { h100eFactor, type ChipSpecs } from '../metrics.js';
import { type Quarter, quarterOfDate } from '../quarter.js';
import type { AcceleratorKind, Certainty, CommitmentStatus } from '../vocabulary.js';
import { countryCode } from './countries.js';
import { EPOCH_CLUSTERS_CREDIT, EPOCH_CLUSTERS_URL } from './credit.js';
import { kindOfChipName, type RowProblem } from './hardware.js';

/**
 * Epoch AI's GPU Clusters data set as commitment drafts: one row of its CSV → one record per chip type, with the
 * links between rows ("Superseded by", "Possible Duplicate Of") resolved over the whole file. Pure: the catalog is
 * asked through a lookup, and the importer writes the drafts. docs/decisions/epoch-interop.md gives the reasons.
 */

/** The columns read, by what they hold. */
export const CLUSTER_COLUMNS = {
  name: 'Name',
  status: 'Status',
  certainty: 'Certainty',
  h100e: 'H100 equivalents',
  country: 'Country',
  owner: 'Owner',
  users: 'Users',
  operationalDate: 'First Operational Date',
  operationalNote: 'First Operational Date Note',
  note: 'Note',
  power: 'Power Capacity (MW)',
  quote: 'Quote',
  supersededBy: 'Superseded by',
  duplicateOf: 'Possible Duplicate Of',
  chip: ['Chip type (primary)', 'Chip type (secondary)'],
  quantity: ['Chip quantity (primary)', 'Chip quantity (secondary)'],
  sources: ['Source 1', 'Source 2', 'Source 3', 'Source 4', 'Source 5'],
} as const;

/** The columns a file must have to be read as Epoch's clusters data set. */
export const REQUIRED_CLUSTER_COLUMNS: readonly string[] = [
  CLUSTER_COLUMNS.name,
  CLUSTER_COLUMNS.status,
  CLUSTER_COLUMNS.certainty,
  CLUSTER_COLUMNS.h100e,
  CLUSTER_COLUMNS.owner,
  CLUSTER_COLUMNS.chip[0],
  CLUSTER_COLUMNS.quantity[0],
];

const STATUSES: Record<string, CommitmentStatus> = { existing: 'delivered', planned: 'announced', decommissioned: 'cancelled' };
const CERTAINTIES: Record<string, Certainty> = { confirmed: 'confirmed', likely: 'likely', unlikely: 'speculative' };
/** Epoch's Users column names kinds of users as well as companies; these are not companies. */
const USER_CATEGORIES =
  /^(cloud|academia|academic|researchers?|research|scientific research|industry|government|public|private|various|unknown)$/i;
export const UNDISCLOSED_OWNER = 'Undisclosed owner';
/** Below this share of Epoch's figure, what is left for the records without a derivable H100e is rounding, not chips. */
const REMAINDER_TOLERANCE = 0.005;
/** The bounds a commitment's fields keep (its DTO's), so that a draft the mapping gives is one the ledger takes. */
const MAX_KEY_LENGTH = 200;
const MAX_COMPANY_NAME = 200;
const LIMITS = { quantity: 100_000_000, h100e: 1_000_000_000, powerMw: 1_000_000 };

/** A catalog chip as the mapping needs it. */
export interface ClusterChip extends ChipSpecs {
  id: string;
  name: string;
  kind: AcceleratorKind;
}
/** Finds a chip by name or alias (as the catalog does, case aside); null when the catalog has none. */
export type ChipLookup = (name: string) => ClusterChip | null;

export interface ClusterSourceDraft {
  url: string | null;
  title: string | null;
  publisher: string | null;
  publishedOn: string | null;
  language: string | null;
  quote: string | null;
}

/** One commitment as the clusters import would write it; companies by name (matched or created by the importer). */
export interface ClusterCommitmentDraft {
  key: string;
  companyName: string;
  /** Always null: the record's company is the owner, who runs the chips itself. */
  hostCompanyName: null;
  acceleratorId: string | null;
  /** The chip type as Epoch names it, kept for reports and for pairing records across rows. */
  chipType: string | null;
  acceleratorKind: AcceleratorKind;
  quantity: number | null;
  quantityQualifier: 'exact' | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  announcedOn: string;
  deliveryFrom: Quarter | null;
  deliveryBy: Quarter | null;
  status: CommitmentStatus;
  certainty: Certainty;
  siteCountry: string | null;
  sources: ClusterSourceDraft[];
  notes: string;
  /** The key of the record this one supersedes (set by `mapEpochClusterFile`). */
  supersedesKey: string | null;
  /** The key of the record this one's chips are part of (set by `mapEpochClusterFile`). */
  partOfKey: string | null;
}

export interface LineProblem extends RowProblem {
  line: number;
}

/** One row, mapped: its records, and the names it links to, for `mapEpochClusterFile` to resolve. */
export interface MappedClusterRow {
  line: number;
  name: string;
  drafts: ClusterCommitmentDraft[];
  supersededBy: string | null;
  duplicateOf: string[];
  warnings: LineProblem[];
}

export interface ClusterRowInput {
  line: number;
  cells: Readonly<Record<string, string | undefined>>;
}

export interface ClusterRowContext {
  /** The day the file was published: the announcement date of rows with no date of their own. */
  publishedOn: string;
  chips: ChipLookup;
  /** The row's key; `epoch:<Name>` unless the file repeats the name. */
  key?: string;
}

/**
 * Maps one row, or gives its problems by column. A row gives a record for its primary chip type and, when it names
 * a secondary one (type or quantity), a second record keyed `#2`. Everything else is shared by the two records.
 */
export function mapEpochClusterRow(
  row: ClusterRowInput,
  context: ClusterRowContext,
): { mapped: MappedClusterRow; errors?: undefined } | { errors: LineProblem[]; mapped?: undefined } {
  const { line } = row;
  const text = (column: string) => (row.cells[column] ?? '').trim();
  const errors: LineProblem[] = [];
  const warnings: LineProblem[] = [];
  const problem = (list: LineProblem[], field: string, message: string, value?: string) =>
    list.push({ line, field, message, ...(value === undefined ? {} : { value }) });

  const name = text(CLUSTER_COLUMNS.name).replace(/\s+/g, ' ');
  const key = context.key ?? `epoch:${name}`;
  if (name === '') problem(errors, CLUSTER_COLUMNS.name, 'the cluster has no name');
  else if (`${key}#2`.length > MAX_KEY_LENGTH)
    problem(errors, CLUSTER_COLUMNS.name, `too long for a record key (at most ${MAX_KEY_LENGTH - 9} characters)`, name);

  const statusText = text(CLUSTER_COLUMNS.status);
  const status = STATUSES[statusText.toLowerCase()];
  if (!status) problem(errors, CLUSTER_COLUMNS.status, 'must be Existing, Planned or Decommissioned', statusText);
  const certaintyText = text(CLUSTER_COLUMNS.certainty);
  let certainty = CERTAINTIES[certaintyText.toLowerCase()];
  if (certaintyText === '') {
    certainty = 'likely';
    problem(warnings, CLUSTER_COLUMNS.certainty, 'no certainty given: taken as likely');
  } else if (!certainty) problem(errors, CLUSTER_COLUMNS.certainty, 'must be Confirmed, Likely or Unlikely', certaintyText);

  const amount = (column: string, whole: boolean, limit: number): number | null => {
    const value = text(column).replace(/,/g, '');
    if (value === '') return null;
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0) {
      problem(errors, column, 'must be a number, 0 or more', value);
      return null;
    }
    if (number > limit) problem(errors, column, `must be at most ${limit.toLocaleString('en-US')}`, value);
    if (number === 0) return null;
    if (!whole) return number;
    // Epoch's counts come through a spreadsheet: 30000.000000000004 is 30,000.
    const rounded = Math.round(number);
    if (Math.abs(number - rounded) > 1e-6 * Math.max(1, number)) problem(errors, column, 'must be a whole number of chips', value);
    return rounded;
  };
  const epochH100e = amount(CLUSTER_COLUMNS.h100e, false, LIMITS.h100e);
  const power = amount(CLUSTER_COLUMNS.power, false, LIMITS.powerMw);

  const types = CLUSTER_COLUMNS.chip.map((column) => text(column).replace(/\s+/g, ' ') || null);
  const quantities = CLUSTER_COLUMNS.quantity.map((column) => amount(column, true, LIMITS.quantity));
  const company = companyOf(text(CLUSTER_COLUMNS.owner), text(CLUSTER_COLUMNS.users));
  if (company.length > MAX_COMPANY_NAME) {
    problem(errors, CLUSTER_COLUMNS.owner, `the company name is longer than ${MAX_COMPANY_NAME} characters`, company);
  }
  const dates = datesOf(text(CLUSTER_COLUMNS.operationalDate), text(CLUSTER_COLUMNS.operationalNote), context.publishedOn);
  if ('error' in dates) problem(errors, CLUSTER_COLUMNS.operationalDate, dates.error, text(CLUSTER_COLUMNS.operationalDate));
  if (errors.length > 0 || 'error' in dates) return { errors };

  const countryText = text(CLUSTER_COLUMNS.country);
  const siteCountry = countryOf(countryText);
  if (countryText !== '' && siteCountry === null) {
    problem(warnings, CLUSTER_COLUMNS.country, 'not a country known by name: the site country is left unknown', countryText);
  }
  if (dates.note) problem(warnings, CLUSTER_COLUMNS.operationalNote, dates.note, text(CLUSTER_COLUMNS.operationalNote));

  const records = [0, 1]
    .filter((index) => index === 0 || types[1] !== null || quantities[1] !== null)
    .map((index) => {
      const type = types[index];
      const chip = type === null ? null : context.chips(type);
      if (type !== null && chip === null) {
        problem(warnings, CLUSTER_COLUMNS.chip[index], 'not in the chip catalog: the record has no chip', type);
      }
      const quantity = quantities[index];
      const factor = chip ? h100eFactor(chip, 'max') : null;
      return {
        type,
        chip,
        quantity,
        h100e: quantity !== null && factor !== null ? quantity * factor : null,
        derivesPower: quantity !== null && chip?.tdpWatts != null,
      };
    });

  // Epoch's figure where the records cannot give it: all of it to the primary record when neither can, else what
  // is left after the records that can (nothing when that is only rounding).
  const stated = records.map(() => null as number | null);
  const unknown = records.flatMap((record, index) => (record.h100e === null ? [index] : []));
  if (epochH100e !== null && unknown.length > 0) {
    if (unknown.length === records.length) stated[0] = epochH100e;
    else {
      const remainder = epochH100e - records.reduce((sum, record) => sum + (record.h100e ?? 0), 0);
      if (remainder > REMAINDER_TOLERANCE * epochH100e) stated[unknown[0]] = remainder;
    }
  }

  const sources = sourcesOf(
    CLUSTER_COLUMNS.sources.map((column) => text(column)),
    text(CLUSTER_COLUMNS.quote),
    context.publishedOn,
    (field, message, value) => problem(warnings, field, message, value),
  );
  const note = text(CLUSTER_COLUMNS.note);
  const notes = `From ${EPOCH_CLUSTERS_CREDIT}, row "${name}".${note ? `\n\n${note}` : ''}`.slice(0, 10_000);
  const drafts = records.map((record, index): ClusterCommitmentDraft => ({
    key: index === 0 ? key : `${key}#2`,
    companyName: company,
    hostCompanyName: null,
    acceleratorId: record.chip?.id ?? null,
    chipType: record.type,
    acceleratorKind: record.chip?.kind ?? (record.type === null ? 'gpu' : kindOfChipName(record.type)),
    quantity: record.quantity,
    quantityQualifier: record.quantity === null ? null : 'exact',
    statedH100e: stated[index],
    // Epoch's power is the site's; it stands in where no record of the row gives power from its chips' TDP.
    statedPowerMw: index === 0 && power !== null && !records.some((item) => item.derivesPower) ? power : null,
    announcedOn: dates.announcedOn,
    deliveryFrom: dates.from,
    deliveryBy: dates.to,
    status,
    certainty,
    siteCountry,
    sources: sources.map((source) => ({ ...source })),
    notes,
    supersedesKey: null,
    partOfKey: null,
  }));
  const links = (column: string) =>
    text(column)
      .split(',')
      .map((item) => item.trim().replace(/\s+/g, ' '))
      .filter(Boolean);
  return {
    mapped: {
      line,
      name,
      drafts,
      supersededBy: links(CLUSTER_COLUMNS.supersededBy).join(', ') || null,
      duplicateOf: links(CLUSTER_COLUMNS.duplicateOf),
      warnings,
    },
  };
}

/** The first owner; else the first user, unless it is a kind of user rather than a company; else "Undisclosed owner". */
export function companyOf(owners: string, users: string): string {
  const first = (list: string) =>
    list
      .split(',')
      .map((item) => item.trim())
      .find(Boolean) ?? null;
  const owner = first(owners);
  if (owner) return owner;
  const user = first(users);
  return user && !USER_CATEGORIES.test(user) ? user : UNDISCLOSED_OWNER;
}

/** A country cell: one country, or several that are one code; else null. */
function countryOf(text: string): string | null {
  if (text === '') return null;
  const whole = countryCode(text);
  if (whole) return whole;
  const codes = new Set(text.split(',').map(countryCode));
  return codes.size === 1 ? [...codes][0] : null;
}

type RowDates = { announcedOn: string; from: Quarter | null; to: Quarter | null; note?: string } | { error: string };

/**
 * When a row's chips arrive. A First Operational Date is the announcement and its quarter the delivery. Else the
 * note's period, announced on the file's date: a quarter ("Q3 2026"), a half ("H2 2026" → Q3..Q4), early / mid /
 * late in a year (Q1..Q2, Q2..Q3, Q3..Q4), the end of a year (Q4), a year (Q1..Q4) or years (the first's Q1 to the
 * last's Q4). Else the file's date alone.
 */
export function datesOf(operationalDate: string, note: string, publishedOn: string): RowDates {
  if (operationalDate !== '') {
    const date = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(operationalDate);
    if (!date || Number.isNaN(Date.parse(`${date[1]}-${date[2]}-${date[3]}T00:00:00Z`))) {
      return { error: 'must be a date (YYYY-MM-DD)' };
    }
    const day = `${date[1]}-${date[2]}-${date[3]}`;
    return { announcedOn: day, from: quarterOfDate(day), to: quarterOfDate(day) };
  }
  const period = periodOf(note);
  if (period) return { announcedOn: publishedOn, from: period[0], to: period[1] };
  const undated = { announcedOn: publishedOn, from: null, to: null };
  return /\d{4}/.test(note) ? { ...undated, note: 'no period read from the note: dated by the file' } : undated;
}

function periodOf(note: string): [Quarter, Quarter] | null {
  const text = note.toLowerCase();
  const quarter = /\bq([1-4])[\s-]*(\d{4})\b|\b(\d{4})[\s-]*q([1-4])\b/.exec(text);
  if (quarter) {
    const [year, number] = quarter[1] ? [quarter[2], quarter[1]] : [quarter[3], quarter[4]];
    return [`${year}-Q${number}`, `${year}-Q${number}`];
  }
  const half = /\bh([12])[\s-]*(\d{4})\b/.exec(text);
  if (half) return half[1] === '1' ? [`${half[2]}-Q1`, `${half[2]}-Q2`] : [`${half[2]}-Q3`, `${half[2]}-Q4`];
  const part = /\b(early|mid|late|end of|end)[\s-]+(\d{4})\b/.exec(text);
  if (part) {
    const [first, last] = { early: [1, 2], mid: [2, 3], late: [3, 4], 'end of': [4, 4], end: [4, 4] }[part[1]]!;
    return [`${part[2]}-Q${first}`, `${part[2]}-Q${last}`];
  }
  const years = [...text.matchAll(/\b(19|20)\d{2}\b/g)].map((match) => Number(match[0]));
  if (years.length === 0) return null;
  return [`${Math.min(...years)}-Q1`, `${Math.max(...years)}-Q4`];
}

/**
 * Sources 1–5: a URL (its publisher the site, from inside a web.archive.org address where it is one), or text as a
 * title; Epoch's quote on the first. A row with none cites the data set itself.
 */
function sourcesOf(
  cells: string[],
  quote: string,
  publishedOn: string,
  warn: (field: string, message: string, value?: string) => void,
): ClusterSourceDraft[] {
  const quoted = quote.slice(0, 5000) || null;
  if (quote.length > 5000) warn(CLUSTER_COLUMNS.quote, 'longer than 5,000 characters: cut');
  const sources = cells.flatMap((cell, index): ClusterSourceDraft[] => {
    if (cell === '') return [];
    const field = CLUSTER_COLUMNS.sources[index];
    const [first, ...rest] = cell.split(/\s+/);
    if (rest.length > 0 && /^https?:\/\//i.test(first)) warn(field, 'more than one address: the first is kept', cell);
    const url = /^https?:\/\//i.test(first) ? parsedUrl(first) : null;
    if (url && first.length <= 2000) {
      return [{ url: first, title: null, publisher: publisherOf(url), publishedOn: null, language: null, quote: null }];
    }
    if (/^https?:\/\//i.test(first)) {
      warn(field, 'not a usable address: left out', cell);
      return [];
    }
    return [{ url: null, title: cell.slice(0, 500), publisher: null, publishedOn: null, language: null, quote: null }];
  });
  // Epoch sometimes cites one address twice.
  const distinct = sources.filter(
    (source, index) => source.url === null || sources.findIndex((other) => other.url === source.url) === index,
  );
  sources.splice(0, sources.length, ...distinct);
  if (sources.length === 0) {
    sources.push({
      url: EPOCH_CLUSTERS_URL,
      title: 'Data on GPU Clusters',
      publisher: 'Epoch AI',
      publishedOn,
      language: 'en',
      quote: null,
    });
  }
  sources[0] = { ...sources[0], quote: quoted };
  return sources;
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function publisherOf(url: URL): string {
  const archived = /^\/web\/\d+[a-z_]*\/(https?:\/\/.+)$/i.exec(url.pathname + url.search);
  const inner = url.hostname.endsWith('web.archive.org') && archived ? parsedUrl(archived[1]) : null;
  return (inner ?? url).hostname.replace(/^www\./, '');
}

export interface ClusterFileOptions {
  publishedOn: string;
  chips: ChipLookup;
}

/** The file, mapped: the records of every row that maps, linked, and the problems of the others. */
export interface MappedClusterFile {
  rows: MappedClusterRow[];
  drafts: ClusterCommitmentDraft[];
  errors: LineProblem[];
  warnings: LineProblem[];
}

/**
 * Maps every row and links them. A name the file repeats (Epoch's "Anonymized Chinese System") keys its later rows
 * `epoch:<Name> [2]`, `[3]` … in file order. "Superseded by" names the row whose records supersede this row's:
 * records of the same chip type pair first, then the rest in order; a record left without a partner, or whose
 * partner already supersedes another, stays as it is (a warning). "Possible Duplicate Of" names the rows this row's
 * chips are part of: every record of the row becomes a part of the first named row that is not itself a part
 * (names no row) and is not cancelled, by that row's primary record.
 */
export function mapEpochClusterFile(rows: readonly ClusterRowInput[], options: ClusterFileOptions): MappedClusterFile {
  const seen = new Map<string, number>();
  const errors: LineProblem[] = [];
  const mapped: MappedClusterRow[] = [];
  for (const row of rows) {
    const name = (row.cells[CLUSTER_COLUMNS.name] ?? '').trim().replace(/\s+/g, ' ');
    const occurrence = (seen.get(name) ?? 0) + 1;
    seen.set(name, occurrence);
    const key = occurrence === 1 ? `epoch:${name}` : `epoch:${name} [${occurrence}]`;
    const result = mapEpochClusterRow(row, { ...options, key });
    if (result.errors) errors.push(...result.errors);
    else mapped.push(result.mapped);
  }
  const warnings = mapped.flatMap((row) => row.warnings);
  const warn = (row: MappedClusterRow, field: string, message: string, value?: string) =>
    warnings.push({ line: row.line, field, message, ...(value === undefined ? {} : { value }) });
  // A repeated name links to its first row.
  const byName = new Map<string, MappedClusterRow>();
  for (const row of mapped) if (!byName.has(row.name)) byName.set(row.name, row);

  for (const older of mapped) {
    if (older.supersededBy === null) continue;
    const newer = byName.get(older.supersededBy);
    if (!newer || newer === older) {
      warn(
        older,
        CLUSTER_COLUMNS.supersededBy,
        newer ? 'names the row itself: not linked' : 'names no row of the file: not linked',
        older.supersededBy,
      );
      continue;
    }
    if ((seen.get(older.supersededBy) ?? 0) > 1)
      warn(older, CLUSTER_COLUMNS.supersededBy, 'a name the file repeats: linked to its first row', older.supersededBy);
    const partners = [...newer.drafts];
    const pairs: [ClusterCommitmentDraft, ClusterCommitmentDraft | undefined][] = [];
    const unpaired: ClusterCommitmentDraft[] = [];
    for (const draft of older.drafts) {
      const same = partners.findIndex(
        (partner) => partner.chipType !== null && partner.chipType.toLowerCase() === draft.chipType?.toLowerCase(),
      );
      if (same >= 0) pairs.push([draft, partners.splice(same, 1)[0]]);
      else unpaired.push(draft);
    }
    for (const draft of unpaired) pairs.push([draft, partners.shift()]);
    for (const [draft, partner] of pairs) {
      if (partner && partner.supersedesKey === null && !supersedes(mapped, draft.key, partner.key)) partner.supersedesKey = draft.key;
      else {
        const why = partner ? `${partner.key} supersedes another record already` : `${newer.name} has no record left to supersede it`;
        warn(older, CLUSTER_COLUMNS.supersededBy, `${draft.key} stays counted: ${why}`, older.supersededBy);
      }
    }
  }

  for (const part of mapped) {
    if (part.duplicateOf.length === 0) continue;
    const whole = part.duplicateOf
      .map((name) => byName.get(name))
      .find((row) => row !== undefined && row !== part && row.duplicateOf.length === 0 && row.drafts[0].status !== 'cancelled');
    if (!whole) {
      warn(part, CLUSTER_COLUMNS.duplicateOf, 'names no row of the file that can be a whole: not linked', part.duplicateOf.join(', '));
      continue;
    }
    for (const draft of part.drafts) draft.partOfKey = whole.drafts[0].key;
  }

  warnings.sort((a, b) => a.line - b.line);
  return { rows: mapped, drafts: mapped.flatMap((row) => row.drafts), errors, warnings };
}

/** Whether `newer` already supersedes `older` through a chain, so that linking the other way would close a loop. */
function supersedes(rows: readonly MappedClusterRow[], newer: string, older: string): boolean {
  const supersededBy = new Map<string, string>();
  for (const row of rows) for (const draft of row.drafts) if (draft.supersedesKey) supersededBy.set(draft.supersedesKey, draft.key);
  // Walk from `older` up the chain of records superseding it: meeting `newer` means newer is already older's successor.
  for (let key: string | undefined = older, steps = 0; key !== undefined && steps <= supersededBy.size; steps++) {
    if (key === newer) return true;
    key = supersededBy.get(key);
  }
  return false;
}
