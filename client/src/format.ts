import type { Commitment, Metric } from './api-types';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Short figures for axes, tiles and tooltips: 350k, 1.2M, 3.4B. */
export function formatCompact(value: number): string {
  const size = Math.abs(value);
  if (size >= 1e9) return `${oneDecimal.format(value / 1e9)}B`;
  if (size >= 1e6) return `${oneDecimal.format(value / 1e6)}M`;
  if (size >= 1e3) return `${oneDecimal.format(value / 1e3)}k`;
  return oneDecimal.format(value);
}

export function formatWhole(value: number): string {
  return whole.format(value);
}

export const METRIC_LABELS: Record<Metric, string> = { h100e: 'H100e', units: 'units', power_mw: 'MW' };

export function formatMetric(value: number, metric: Metric): string {
  return `${formatCompact(value)} ${METRIC_LABELS[metric]}`;
}

const QUALIFIER_WORDS = { exact: '', approximate: 'about ', at_least: 'at least ', up_to: 'up to ' } as const;

/** The amount as the source stated it: "about 350,000", "up to 1,000,000", "600,000 H100e", "1,000 MW", "undisclosed". */
export function formatQuantity(commitment: Pick<Commitment, 'quantity' | 'quantityQualifier' | 'statedH100e' | 'statedPowerMw'>): string {
  const qualifier = QUALIFIER_WORDS[commitment.quantityQualifier ?? 'exact'];
  if (commitment.quantity !== null) return `${qualifier}${formatWhole(commitment.quantity)}`;
  if (commitment.statedH100e !== null) return `${qualifier}${formatWhole(commitment.statedH100e)} H100e`;
  if (commitment.statedPowerMw !== null) return `${qualifier}${formatWhole(commitment.statedPowerMw)} MW`;
  return 'undisclosed';
}

export function formatWindow(window: { from: string; to: string }): string {
  return window.from === window.to ? window.from : `${window.from} – ${window.to}`;
}

export function chipName(commitment: Pick<Commitment, 'accelerator' | 'acceleratorKind'>): string {
  return commitment.accelerator?.name ?? (commitment.acceleratorKind === 'custom' ? 'Unknown custom chip' : 'Unknown GPU');
}

export function humanize(word: string): string {
  return (word.charAt(0).toUpperCase() + word.slice(1)).replaceAll('_', ' ');
}

/** A moment as the ledger shows it everywhere: UTC, to the second. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
