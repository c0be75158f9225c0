import type { Candidate } from './types.js';

/** A hand-labelled commitment: names rather than ids, so that labels do not depend on a database. */
export interface LabelledCandidate {
  company: string | null;
  accelerator: string | null;
  acceleratorKind: Candidate['acceleratorKind'];
  quantity: number | null;
  quantityQualifier: Candidate['quantityQualifier'];
  amountLow: number | null;
  amountHigh: number | null;
  deliveryFrom: string | null;
  deliveryBy: string | null;
  status: Candidate['status'];
}

/** The fields that pair a prediction with a label; the range bounds, null on most, are scored but do not pair. */
const PAIRING_FIELDS = ['company', 'accelerator', 'quantity', 'qualifier', 'deliveryFrom', 'deliveryBy', 'status'] as const;
export const EVALUATED_FIELDS = [...PAIRING_FIELDS, 'amountLow', 'amountHigh'] as const;
export type EvaluatedField = (typeof EVALUATED_FIELDS)[number];

export interface Score {
  correct: number;
  predicted: number;
  expected: number;
  precision: number;
  recall: number;
}

export type Scores = Record<EvaluatedField | 'candidate', Score>;

const lower = (value: string | null) => (value === null ? null : value.toLowerCase());

function fieldValues(candidate: LabelledCandidate): Record<EvaluatedField, unknown> {
  return {
    company: lower(candidate.company),
    accelerator: `${candidate.acceleratorKind}:${lower(candidate.accelerator)}`,
    quantity: candidate.quantity,
    qualifier: candidate.quantityQualifier,
    amountLow: candidate.amountLow,
    amountHigh: candidate.amountHigh,
    deliveryFrom: candidate.deliveryFrom,
    deliveryBy: candidate.deliveryBy,
    status: candidate.status,
  };
}

export function toLabelled(candidate: Candidate): LabelledCandidate {
  return {
    company: candidate.company?.name ?? null,
    accelerator: candidate.accelerator?.name ?? null,
    acceleratorKind: candidate.acceleratorKind,
    quantity: candidate.quantity,
    quantityQualifier: candidate.quantityQualifier,
    amountLow: candidate.amountLow,
    amountHigh: candidate.amountHigh,
    deliveryFrom: candidate.deliveryFrom,
    deliveryBy: candidate.deliveryBy,
    status: candidate.status,
  };
}

/** Fields on which two candidates agree. */
export function agreeingFields(a: LabelledCandidate, b: LabelledCandidate): EvaluatedField[] {
  const left = fieldValues(a);
  const right = fieldValues(b);
  return EVALUATED_FIELDS.filter((field) => left[field] === right[field]);
}

/**
 * Pairs each expected candidate with the unpaired prediction that agrees with it on most pairing fields (at least
 * three). A field is correct when a paired prediction has the expected value (null included); unpaired predictions
 * count against precision and unpaired expectations against recall, on every field. `candidate` counts pairs
 * correct on all fields.
 */
export function scoreExtraction(examples: { expected: LabelledCandidate[]; predicted: LabelledCandidate[] }[]): Scores {
  const counts = Object.fromEntries([...EVALUATED_FIELDS, 'candidate'].map((field) => [field, 0])) as Record<
    EvaluatedField | 'candidate',
    number
  >;
  let predictedTotal = 0;
  let expectedTotal = 0;
  for (const { expected, predicted } of examples) {
    predictedTotal += predicted.length;
    expectedTotal += expected.length;
    const unpaired = new Set(predicted);
    for (const gold of expected) {
      let best: LabelledCandidate | null = null;
      let bestFields: EvaluatedField[] = [];
      let bestPairing = 0;
      for (const guess of unpaired) {
        const fields = agreeingFields(gold, guess);
        const pairing = fields.filter((field) => (PAIRING_FIELDS as readonly string[]).includes(field)).length;
        if (pairing > bestPairing) {
          best = guess;
          bestFields = fields;
          bestPairing = pairing;
        }
      }
      if (best === null || bestPairing < 3) continue;
      unpaired.delete(best);
      for (const field of bestFields) counts[field]++;
      if (bestFields.length === EVALUATED_FIELDS.length) counts.candidate++;
    }
  }
  const score = (correct: number): Score => ({
    correct,
    predicted: predictedTotal,
    expected: expectedTotal,
    precision: predictedTotal === 0 ? 1 : correct / predictedTotal,
    recall: expectedTotal === 0 ? 1 : correct / expectedTotal,
  });
  return Object.fromEntries(Object.entries(counts).map(([field, correct]) => [field, score(correct)])) as Scores;
}
