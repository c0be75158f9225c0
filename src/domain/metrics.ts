import type { Metric, Precision } from './vocabulary.js';

/** Dense rates of the reference chip "H100 SXM", in TFLOP/s. */
export const H100_DENSE_BF16_TFLOPS = 989;
export const H100_DENSE_FP8_TFLOPS = 1979;

export interface ChipSpecs {
  denseBf16Tflops: number | null;
  denseFp8Tflops: number | null;
  tdpWatts: number | null;
}

export interface CommitmentAmount {
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
}

export type CommitmentMetrics = Record<Metric, number | null>;

/** How many H100 SXM a chip is worth at the given precision; null where the chip's rate is unknown. */
export function h100eFactor(chip: ChipSpecs, precision: Precision = 'bf16'): number | null {
  const rate = precision === 'fp8' ? chip.denseFp8Tflops : chip.denseBf16Tflops;
  if (rate === null) return null;
  return rate / (precision === 'fp8' ? H100_DENSE_FP8_TFLOPS : H100_DENSE_BF16_TFLOPS);
}

/** One metric of one commitment; null where it cannot be derived, never 0. */
export function commitmentMetric(
  amount: CommitmentAmount,
  chip: ChipSpecs | null,
  metric: Metric,
  precision: Precision = 'bf16',
): number | null {
  const { quantity, statedH100e, statedPowerMw } = amount;
  switch (metric) {
    case 'units':
      return quantity;
    case 'h100e': {
      const factor = chip ? h100eFactor(chip, precision) : null;
      return statedH100e ?? (quantity !== null && factor !== null ? quantity * factor : null);
    }
    case 'power_mw':
      return statedPowerMw ?? (quantity !== null && chip?.tdpWatts != null ? (quantity * chip.tdpWatts) / 1_000_000 : null);
  }
}

/** The three metrics of one commitment; each is null where it cannot be derived, never 0. */
export function commitmentMetrics(amount: CommitmentAmount, chip: ChipSpecs | null, precision: Precision = 'bf16'): CommitmentMetrics {
  return {
    units: commitmentMetric(amount, chip, 'units', precision),
    h100e: commitmentMetric(amount, chip, 'h100e', precision),
    power_mw: commitmentMetric(amount, chip, 'power_mw', precision),
  };
}
