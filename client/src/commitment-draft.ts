import type {
  AcceleratorKind,
  Certainty,
  Commitment,
  CommitmentStatus,
  CreateCommitmentDto,
  QuantityQualifier,
  SourceDto,
} from './api-types';
import { deliveryWindow } from '../../src/domain/delivery-window.js';
import { quarterFromIndex, quarterIndex, quarterOfDate } from '../../src/domain/quarter.js';

/** A source as its form fields hold it: text, '' for empty. */
export interface SourceDraft {
  url: string;
  title: string;
  publisher: string;
  publishedOn: string;
  language: string;
  quote: string;
}

/**
 * A commitment as a form holds it. `chip` is a chip id, or `kind:gpu` / `kind:custom` for a chip not known by
 * model; numbers stay text until they are checked, so that what the analyst typed is never lost.
 */
export interface CommitmentDraft {
  companyId: string;
  chip: string;
  quantity: string;
  quantityQualifier: QuantityQualifier;
  statedH100e: string;
  statedPowerMw: string;
  /** The range of the primary amount (quantity, else stated H100e, else stated MW), in its unit. */
  amountLow: string;
  amountHigh: string;
  announcedOn: string;
  deliveryFrom: string;
  deliveryBy: string;
  status: CommitmentStatus;
  certainty: Certainty;
  supersedesId: string;
  /** The company whose fleet or data centre holds the chips, when another than the record's own ('' none). */
  hostCompanyId: string;
  /** The record whose chips include this record's (a tenant's share, a phase), '' none. */
  partOfId: string;
  /** Where the chips are deployed, ISO 3166 alpha-2 ('' unknown). */
  siteCountry: string;
  notes: string;
  sources: SourceDraft[];
}

/** Field → message, with the server's field paths (`quantity`, `sources[0].url`). */
export type FieldMessages = Record<string, string>;

export const UNKNOWN_CHIP_PREFIX = 'kind:';
export const chipValueOfKind = (kind: AcceleratorKind) => `${UNKNOWN_CHIP_PREFIX}${kind}`;

export const emptySource = (): SourceDraft => ({ url: '', title: '', publisher: '', publishedOn: '', language: '', quote: '' });

export function emptyDraft(): CommitmentDraft {
  return {
    companyId: '',
    chip: chipValueOfKind('gpu'),
    quantity: '',
    quantityQualifier: 'exact',
    statedH100e: '',
    statedPowerMw: '',
    amountLow: '',
    amountHigh: '',
    announcedOn: '',
    deliveryFrom: '',
    deliveryBy: '',
    status: 'announced',
    certainty: 'likely',
    supersedesId: '',
    hostCompanyId: '',
    partOfId: '',
    siteCountry: '',
    notes: '',
    sources: [emptySource()],
  };
}

const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function draftFromCommitment(commitment: Commitment): CommitmentDraft {
  return {
    companyId: commitment.companyId,
    chip: commitment.acceleratorId ?? chipValueOfKind(commitment.acceleratorKind),
    quantity: text(commitment.quantity),
    quantityQualifier: commitment.quantityQualifier ?? 'exact',
    statedH100e: text(commitment.statedH100e),
    statedPowerMw: text(commitment.statedPowerMw),
    amountLow: text(commitment.amountLow),
    amountHigh: text(commitment.amountHigh),
    announcedOn: commitment.announcedOn,
    deliveryFrom: text(commitment.deliveryFrom),
    deliveryBy: text(commitment.deliveryBy),
    status: commitment.status,
    certainty: commitment.certainty,
    supersedesId: text(commitment.supersedesId),
    hostCompanyId: text(commitment.hostCompanyId),
    partOfId: text(commitment.partOfId),
    siteCountry: text(commitment.siteCountry),
    notes: text(commitment.notes),
    sources: commitment.sources.map((source) => ({
      url: text(source.url),
      title: text(source.title),
      publisher: text(source.publisher),
      publishedOn: text(source.publishedOn),
      language: text(source.language),
      quote: text(source.quote),
    })),
  };
}

// The server's rules (src/commitments/dto/commitment.dto.ts, src/common/decorators.ts), checked before sending;
// the server stays the authority and its answer is shown the same way.
const QUARTER = /^(199\d|20\d\d|2100)-Q([1-4])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const MAX_QUANTITY = 100_000_000;
/** The form of an ISO 3166 alpha-2 code; whether the country exists, the server says. */
const COUNTRY = /^[A-Za-z]{2}$/;

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1990 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

const quarterOrder = (quarter: string) => {
  const match = QUARTER.exec(quarter) as RegExpExecArray;
  return Number(match[1]) * 4 + Number(match[2]);
};

function positiveNumber(value: string): boolean {
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) && number > 0;
}

/** Every problem the server would name, by field, in the words of the page; empty when the draft can be sent. */
export function validateDraft(draft: CommitmentDraft): FieldMessages {
  const errors: FieldMessages = {};
  if (!draft.companyId) errors.companyId = 'Choose the company';
  if (!draft.chip) errors.acceleratorId = 'Choose a chip, or an unknown GPU or custom chip';
  if (draft.quantity.trim() !== '') {
    const quantity = Number(draft.quantity);
    if (!Number.isInteger(quantity)) errors.quantity = 'Quantity must be a whole number';
    else if (quantity < 1) errors.quantity = 'Quantity must be at least 1';
    else if (quantity > MAX_QUANTITY) errors.quantity = 'Quantity must be at most 100,000,000';
  }
  if (draft.statedH100e.trim() !== '' && !positiveNumber(draft.statedH100e)) errors.statedH100e = 'Enter a positive number';
  if (draft.statedPowerMw.trim() !== '' && !positiveNumber(draft.statedPowerMw)) errors.statedPowerMw = 'Enter a positive number';
  const primary = primaryAmountOf(draft);
  for (const field of ['amountLow', 'amountHigh'] as const) {
    const value = draft[field].trim();
    if (value === '') continue;
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0) errors[field] = 'Enter a number of 0 or more';
    else if (primary === null) errors[field] = 'A range needs an amount: a quantity, a stated H100e or a stated power';
    else if (field === 'amountLow' && number > primary.value)
      errors[field] = `The lowest amount must not be above the ${primary.name} (${primary.value})`;
    else if (field === 'amountHigh' && number < primary.value)
      errors[field] = `The highest amount must not be below the ${primary.name} (${primary.value})`;
  }
  if (!draft.announcedOn) errors.announcedOn = 'Enter the date of the announcement';
  else if (!isCalendarDate(draft.announcedOn)) errors.announcedOn = 'Enter a date between 1990 and 2100, written YYYY-MM-DD';
  for (const field of ['deliveryFrom', 'deliveryBy'] as const) {
    if (draft[field] && !QUARTER.test(draft[field])) errors[field] = 'Enter a quarter written YYYY-Qn (2024-Q3), between 1990 and 2100';
  }
  if (draft.deliveryFrom && draft.deliveryBy && !errors.deliveryFrom && !errors.deliveryBy) {
    if (quarterOrder(draft.deliveryFrom) > quarterOrder(draft.deliveryBy))
      errors.deliveryFrom = 'The delivery window cannot start after it ends: delivery from must not be after delivery by';
  }
  if (draft.hostCompanyId && draft.hostCompanyId === draft.companyId) {
    errors.hostCompanyId = "The host is another company than the record's own: leave it empty when the company runs the chips itself";
  }
  if (draft.siteCountry.trim() && !COUNTRY.test(draft.siteCountry.trim())) {
    errors.siteCountry = 'Enter a two-letter country code (ISO 3166) such as US or FR';
  }
  if (draft.sources.length === 0) errors.sources = 'Add at least one source';
  draft.sources.forEach((source, index) => {
    if (!source.url.trim() && !source.title.trim()) errors[`sources[${index}].url`] = 'Give the source a URL or a title';
    else if (source.url.trim() && !isHttpUrl(source.url.trim())) {
      errors[`sources[${index}].url`] = 'Enter a web address starting with http:// or https://';
    }
    if (source.publishedOn && !isCalendarDate(source.publishedOn)) {
      errors[`sources[${index}].publishedOn`] = 'Enter a date between 1990 and 2100, written YYYY-MM-DD';
    }
    if (source.language && !LANGUAGE.test(source.language)) {
      errors[`sources[${index}].language`] = 'Enter a language code such as en or id';
    }
  });
  return errors;
}

/**
 * What is allowed but usually a mistake, by field. A delivery window that ends before the quarter of the
 * announcement is right for a report of deliveries already made, and otherwise most often a mistyped year.
 */
export function draftWarnings(draft: Pick<CommitmentDraft, 'announcedOn' | 'deliveryFrom' | 'deliveryBy'>): FieldMessages {
  const valid = (quarter: string) => quarter === '' || QUARTER.test(quarter);
  if (!isCalendarDate(draft.announcedOn) || !draft.deliveryBy || !valid(draft.deliveryFrom) || !valid(draft.deliveryBy)) return {};
  const announced = quarterOfDate(draft.announcedOn);
  const window = deliveryWindow({ announcedOn: draft.announcedOn, deliveryFrom: draft.deliveryFrom || null, deliveryBy: draft.deliveryBy });
  if (window.last >= quarterIndex(announced)) return {};
  return {
    deliveryBy: `The whole delivery window (to ${quarterFromIndex(window.last)}) is before the announcement (${announced}): usually a typo. Right only for deliveries already made.`,
  };
}

/**
 * The amount a range bounds, as the server reads it: the quantity where given, else the stated H100e, else the stated
 * power; with its name and unit for the form. Null while none is a number.
 */
export function primaryAmountOf(
  draft: Pick<CommitmentDraft, 'quantity' | 'statedH100e' | 'statedPowerMw'>,
): { value: number; name: string; unit: string } | null {
  const candidates = [
    { text: draft.quantity, name: 'quantity', unit: 'chips' },
    { text: draft.statedH100e, name: 'stated H100e', unit: 'H100e' },
    { text: draft.statedPowerMw, name: 'stated power', unit: 'MW' },
  ];
  for (const { text: value, name, unit } of candidates) {
    if (value.trim() === '') continue;
    const number = Number(value);
    return Number.isFinite(number) ? { value: number, name, unit } : null;
  }
  return null;
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

function sourceInput(source: SourceDraft): SourceDto {
  const input: SourceDto = {};
  if (source.url.trim()) input.url = source.url.trim();
  if (source.title.trim()) input.title = source.title.trim();
  input.publisher = orNull(source.publisher);
  input.publishedOn = orNull(source.publishedOn);
  input.language = orNull(source.language);
  input.quote = orNull(source.quote);
  return input;
}

/** The request body of a valid draft: every field sent, empty ones as null, so an edit can clear a value. */
export function draftToInput(draft: CommitmentDraft): CreateCommitmentDto {
  const unknownChip = draft.chip.startsWith(UNKNOWN_CHIP_PREFIX);
  const quantity = numberOrNull(draft.quantity);
  return {
    companyId: draft.companyId,
    acceleratorId: unknownChip ? null : draft.chip,
    ...(unknownChip ? { acceleratorKind: draft.chip.slice(UNKNOWN_CHIP_PREFIX.length) as AcceleratorKind } : {}),
    quantity,
    quantityQualifier: quantity === null ? null : draft.quantityQualifier,
    statedH100e: numberOrNull(draft.statedH100e),
    statedPowerMw: numberOrNull(draft.statedPowerMw),
    amountLow: numberOrNull(draft.amountLow),
    amountHigh: numberOrNull(draft.amountHigh),
    announcedOn: draft.announcedOn,
    deliveryFrom: orNull(draft.deliveryFrom),
    deliveryBy: orNull(draft.deliveryBy),
    status: draft.status,
    certainty: draft.certainty,
    supersedesId: orNull(draft.supersedesId),
    hostCompanyId: orNull(draft.hostCompanyId),
    partOfId: orNull(draft.partOfId),
    siteCountry: orNull(draft.siteCountry.toUpperCase()),
    notes: orNull(draft.notes),
    sources: draft.sources.map(sourceInput),
  };
}
