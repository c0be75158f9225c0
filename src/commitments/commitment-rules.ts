import { type DeliveryTerms, type DeliveryWindow, deliveryWindow } from '../domain/delivery-window.js';
import { boundsProblem, type RangeFacts } from '../domain/ranges.js';
import type { AcceleratorKind, QuantityQualifier } from '../domain/vocabulary.js';

/**
 * The rules a commitment must satisfy beyond its DTO, as pure functions: the API (CommitmentsService) throws the
 * first violation, a bulk import collects them per row. Fields are named as in the API.
 */
export interface RuleViolation {
  field: string;
  message: string;
  value?: unknown;
  /** A clash with another record (409) rather than a bad value (400). */
  conflict?: boolean;
}

export type Settled<T> = { value: T; violation?: undefined } | { value?: undefined; violation: RuleViolation };

/** The chip decides the kind; without a chip the analyst must name it. */
export function settleAcceleratorKind(
  chip: { name: string; kind: AcceleratorKind } | null,
  requestedKind: AcceleratorKind | undefined,
): Settled<AcceleratorKind> {
  if (chip) {
    if (requestedKind !== undefined && requestedKind !== chip.kind) {
      return {
        violation: {
          field: 'acceleratorKind',
          message: `acceleratorKind ${requestedKind} contradicts the chip ${chip.name}, which is ${chip.kind}`,
        },
      };
    }
    return { value: chip.kind };
  }
  if (requestedKind === undefined)
    return { violation: { field: 'acceleratorKind', message: 'acceleratorKind is required when acceleratorId is null' } };
  return { value: requestedKind };
}

/** A qualifier only with a quantity; a quantity without one is exact. */
export function settleQuantityQualifier(
  quantity: number | null,
  qualifier: QuantityQualifier | null | undefined,
): QuantityQualifier | null {
  return quantity === null ? null : (qualifier ?? 'exact');
}

/** `amountLow ≤ amount ≤ amountHigh` on the primary amount, and a bound only with an amount. */
export function boundsViolation(record: RangeFacts): RuleViolation | null {
  const problem = boundsProblem(record);
  return problem ? { field: problem.field, message: problem.message, value: record[problem.field] } : null;
}

/** The effective delivery window (defaults applied); it must not end before it starts. */
export function settleWindow(terms: DeliveryTerms): Settled<DeliveryWindow> {
  const window = deliveryWindow(terms);
  if (window.first > window.last) return { violation: { field: 'deliveryFrom', message: 'deliveryFrom must not be after deliveryBy' } };
  return { value: window };
}

export interface SupersessionFacts {
  /** The record that supersedes (its id is undefined while it is being created). */
  record: { id?: string; companyId: string };
  targetId: string;
  /** The superseded record as it will be, or null when it does not exist (or is deleted). */
  target: { companyId: string } | null;
  /** Another live record that already supersedes the target, if any. */
  rivalId: string | null;
  /** Whether following supersession from the target leads back to the record. */
  formsCycle: boolean;
}

/** The revised record exists, belongs to the same company, is not revised twice, and no cycle forms. */
export function supersessionViolation(facts: SupersessionFacts): RuleViolation | null {
  const { targetId } = facts;
  if (!facts.target) return { field: 'supersedesId', message: `commitment ${targetId} does not exist`, value: targetId };
  if (facts.target.companyId !== facts.record.companyId) {
    return { field: 'supersedesId', message: 'a record can only supersede a record of the same company', value: targetId };
  }
  if (facts.rivalId !== null && facts.rivalId !== facts.record.id) {
    return { field: 'supersedesId', message: `already superseded by ${facts.rivalId}`, value: targetId, conflict: true };
  }
  if (facts.formsCycle) return { field: 'supersedesId', message: 'superseding this record would form a cycle', value: targetId };
  return null;
}

/**
 * The ids among `ids` that lie on a supersession cycle, where `next` gives the record each record supersedes
 * (null at the end of a chain). Linear in the records visited, however long the chains.
 */
export function supersessionCycles(ids: Iterable<string>, next: (id: string) => string | null | undefined): Set<string> {
  const done = new Set<string>();
  const onCycle = new Set<string>();
  for (const start of ids) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let current: string | null | undefined = start;
    while (current && !done.has(current) && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = next(current);
    }
    if (current && onPath.has(current)) for (const id of path.slice(onPath.get(current))) onCycle.add(id);
    for (const id of path) done.add(id);
  }
  return onCycle;
}

/** The host company, when given, exists and is not the record's own company. */
export function hostViolation(record: { companyId: string; hostCompanyId: string | null }, hostExists: boolean): RuleViolation | null {
  const host = record.hostCompanyId;
  if (host === null) return null;
  if (!hostExists) return { field: 'hostCompanyId', message: `company ${host} does not exist`, value: host };
  if (host === record.companyId) {
    return { field: 'hostCompanyId', message: "the host must be another company than the record's own", value: host };
  }
  return null;
}

export interface PartOfFacts {
  /** The record that is to be a part (its id is undefined while it is being created). */
  record: { id?: string };
  targetId: string;
  /** The whole as it will be, or null when it does not exist (or is deleted). */
  target: { partOfId: string | null; status: string } | null;
  /** Whether live records name the record itself as their whole. */
  recordHasParts: boolean;
}

/**
 * One level of wholes and parts: the whole exists, is live and not cancelled, is not itself a part, is not the record
 * itself, and the record is not a whole already (it has no parts).
 */
export function partOfViolation(facts: PartOfFacts): RuleViolation | null {
  const { targetId } = facts;
  if (facts.record.id !== undefined && facts.record.id === targetId) {
    return { field: 'partOfId', message: 'a record cannot be a part of itself', value: targetId };
  }
  if (!facts.target) return { field: 'partOfId', message: `commitment ${targetId} does not exist`, value: targetId };
  if (facts.target.status === 'cancelled') return { field: 'partOfId', message: 'the whole is cancelled', value: targetId };
  if (facts.target.partOfId !== null) {
    return { field: 'partOfId', message: 'the whole is itself a part of another record (one level only)', value: targetId };
  }
  if (facts.recordHasParts) {
    return { field: 'partOfId', message: 'this record has parts of its own, so it cannot be a part (one level only)', value: targetId };
  }
  return null;
}

/** A whole with parts is not cancelled: its parts are moved or released first (a clash: 409). */
export function cancelledWholeViolation(status: string, partCount: number): RuleViolation | null {
  if (status !== 'cancelled' || partCount === 0) return null;
  return { field: 'status', message: 'a whole with parts cannot be cancelled; release its parts first', conflict: true };
}
