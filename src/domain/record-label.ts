import type { AcceleratorKind } from './vocabulary.js';

/** What names a commitment to a person: its company, its chip and its amount. */
export interface CommitmentLabelFacts {
  company: string;
  chip: string | null;
  acceleratorKind: AcceleratorKind;
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
}

const amount = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** "Meta · H100 SXM · 350,000"; a record with no chip model or no quantity says so ("Unknown GPU", "600,000 H100e", "undisclosed"). */
export function commitmentLabel(facts: CommitmentLabelFacts): string {
  const chip = facts.chip ?? (facts.acceleratorKind === 'custom' ? 'Unknown custom chip' : 'Unknown GPU');
  const figure =
    facts.quantity !== null
      ? amount.format(facts.quantity)
      : facts.statedH100e !== null
        ? `${amount.format(facts.statedH100e)} H100e`
        : facts.statedPowerMw !== null
          ? `${amount.format(facts.statedPowerMw)} MW`
          : 'undisclosed';
  return `${facts.company} · ${chip} · ${figure}`;
}
