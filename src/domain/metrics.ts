import { type Metric, PRECISIONS, type Precision } from './vocabulary.js';

/** Dense rates of the reference chip "H100 SXM", in TFLOP/s. */
export const H100_DENSE_BF16_TFLOPS = 989;
export const H100_DENSE_FP8_TFLOPS = 1979;

/**
 * A chip's dense rates (TFLOP/s; INT8 in TOP/s) and TDP; null where unknown. FP32 and INT8 count only at precision
 * `max`, so a chip described without them simply leaves them out.
 */
export interface ChipSpecs {
  denseFp32Tflops?: number | null;
  denseBf16Tflops: number | null;
  denseFp8Tflops: number | null;
  denseInt8Tops?: number | null;
  tdpWatts: number | null;
}

/** What each precision divides, and by what: BF16 by the H100's BF16; FP8 and the highest rate by its FP8. */
const PRECISION_RATES: Record<Precision, { rate: (chip: ChipSpecs) => number | null; reference: number }> = {
  bf16: { rate: (chip) => chip.denseBf16Tflops, reference: H100_DENSE_BF16_TFLOPS },
  fp8: { rate: (chip) => chip.denseFp8Tflops, reference: H100_DENSE_FP8_TFLOPS },
  max: { rate: highestDenseRate, reference: H100_DENSE_FP8_TFLOPS },
};

/**
 * The chip's highest dense rate among FP32, BF16/FP16 tensor, FP8 and INT8 (Epoch AI's convention: an operation
 * is an operation, whatever its width); null where none is known.
 */
export function highestDenseRate(chip: ChipSpecs): number | null {
  let highest: number | null = null;
  for (const rate of [chip.denseFp32Tflops, chip.denseBf16Tflops, chip.denseFp8Tflops, chip.denseInt8Tops]) {
    if (rate != null && (highest === null || rate > highest)) highest = rate;
  }
  return highest;
}

export interface CommitmentAmount {
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
}

export type CommitmentMetrics = Record<Metric, number | null>;

/**
 * How many H100 SXM a chip is worth at the given precision: dense BF16 ÷ 989, dense FP8 ÷ 1,979, or (`max`) its
 * highest dense rate ÷ 1,979; null where the chip's rate is unknown.
 */
export function h100eFactor(chip: ChipSpecs, precision: Precision = 'bf16'): number | null {
  const { rate, reference } = PRECISION_RATES[precision];
  const value = rate(chip);
  return value == null ? null : value / reference;
}

/** The factor at every precision, as the catalog shows it. */
export function h100eFactors(chip: ChipSpecs): Record<Precision, number | null> {
  return Object.fromEntries(PRECISIONS.map((precision) => [precision, h100eFactor(chip, precision)])) as Record<Precision, number | null>;
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
