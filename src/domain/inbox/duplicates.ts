import { type DeliveryWindow, deliveryWindow } from '../delivery-window.js';
import type { Candidate } from '../extraction/types.js';
import type { AcceleratorKind } from '../vocabulary.js';

/** What decides whether two claims may be the same commitment: a proposal and a record, or two proposals. */
export interface DuplicateFacts {
  /** The catalog id, else the name as written (compared without case); null: no company named. */
  company: string | null;
  /** The chip's catalog id, else its name as written; null: the chip is not named. */
  chip: string | null;
  kind: AcceleratorKind;
  window: DeliveryWindow;
  /** The primary amount (units, else stated H100e, else stated MW) with its unit; null: undisclosed. */
  amount: { value: number; unit: 'units' | 'h100e' | 'mw' } | null;
}

/** Primary amounts this close (a share of the larger) are taken as the same figure reported twice. */
export const DUPLICATE_AMOUNT_TOLERANCE = 0.1;

/**
 * True where two claims may be one commitment told twice: the same company, the same chip (or both unnamed and of
 * the same kind), overlapping delivery windows, and primary amounts in the same unit within 10 % of each other (or
 * both undisclosed). A warning for the analyst, never a refusal.
 */
export function mayDuplicate(a: DuplicateFacts, b: DuplicateFacts): boolean {
  if (a.company === null || b.company === null || a.company !== b.company) return false;
  if (a.chip !== b.chip || (a.chip === null && a.kind !== b.kind)) return false;
  if (a.window.first > b.window.last || b.window.first > a.window.last) return false;
  if (a.amount === null || b.amount === null) return a.amount === b.amount;
  if (a.amount.unit !== b.amount.unit) return false;
  return Math.abs(a.amount.value - b.amount.value) <= DUPLICATE_AMOUNT_TOLERANCE * Math.max(a.amount.value, b.amount.value);
}

const nameKey = (ref: { id: string | null; name: string } | null): string | null =>
  ref === null ? null : (ref.id ?? `name:${ref.name.trim().toLowerCase()}`);

/** The facts of an extraction candidate read from an article published on `publishedOn`. */
export function candidateFacts(candidate: Omit<Candidate, 'evidence'>, publishedOn: string): DuplicateFacts {
  return {
    company: nameKey(candidate.company),
    chip: nameKey(candidate.accelerator),
    kind: candidate.acceleratorKind,
    window: deliveryWindow({ announcedOn: publishedOn, deliveryFrom: candidate.deliveryFrom, deliveryBy: candidate.deliveryBy }),
    amount: candidate.quantity === null ? null : { value: candidate.quantity, unit: 'units' },
  };
}

/** The facts of a stored record, as its view gives them. */
export function recordFacts(record: {
  companyId: string;
  acceleratorId: string | null;
  acceleratorKind: AcceleratorKind;
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
}): DuplicateFacts {
  const amount =
    record.quantity !== null
      ? { value: record.quantity, unit: 'units' as const }
      : record.statedH100e !== null
        ? { value: record.statedH100e, unit: 'h100e' as const }
        : record.statedPowerMw !== null
          ? { value: record.statedPowerMw, unit: 'mw' as const }
          : null;
  return {
    company: record.companyId,
    chip: record.acceleratorId,
    kind: record.acceleratorKind,
    window: deliveryWindow(record),
    amount,
  };
}
