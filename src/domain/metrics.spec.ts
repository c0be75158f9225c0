import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitmentMetrics, h100eFactor, h100eFactors, highestDenseRate } from './metrics.js';

const H100 = { denseBf16Tflops: 989, denseFp8Tflops: 1979, tdpWatts: 700 };
const B200 = { denseBf16Tflops: 2250, denseFp8Tflops: 4500, tdpWatts: 1000 };
const MI300X = { denseBf16Tflops: 1307, denseFp8Tflops: 2615, tdpWatts: 750 };
const GB300 = { denseBf16Tflops: null, denseFp8Tflops: null, tdpWatts: null };
const A100 = { denseBf16Tflops: 312, denseFp8Tflops: null, tdpWatts: 400 };
const rate = fc.option(fc.double({ min: 0.001, max: 100_000, noNaN: true }), { nil: null });

describe('H100-equivalent factor', () => {
  it('divides dense BF16 by the H100 SXM figure by default', () => {
    expect(h100eFactor(H100)).toBe(1);
    expect(h100eFactor(B200)).toBe(2250 / 989);
  });

  it('divides dense FP8 by 1,979 at FP8 precision', () => {
    expect(h100eFactor(MI300X, 'fp8')).toBe(2615 / 1979);
    expect(h100eFactor(H100, 'fp8')).toBe(1);
  });

  it('is null where the rate is unknown', () => {
    expect(h100eFactor(GB300)).toBeNull();
    expect(h100eFactor(A100, 'fp8')).toBeNull();
  });
});

describe('H100-equivalent factor at precision max (Epoch AI)', () => {
  // The H100 SXM5 80GB of Epoch's hardware list: FP32 66.91, BF16 989.4, INT8 1,979 TOP/s, no FP8 figure.
  const H100_EPOCH = { denseFp32Tflops: 66.91, denseBf16Tflops: 989.4, denseFp8Tflops: null, denseInt8Tops: 1979, tdpWatts: 700 };

  it('divides the highest dense rate by the H100 SXM FP8 figure', () => {
    expect(h100eFactor(H100, 'max')).toBe(1979 / 1979);
    expect(h100eFactor(H100_EPOCH, 'max')).toBe(1);
    expect(h100eFactor({ ...B200, denseInt8Tops: 4500 }, 'max')).toBe(4500 / 1979);
  });

  it('takes FP32 or INT8 when they are the highest rate', () => {
    // Only FP32 and BF16 (a V100): BF16 125 beats FP32 15.67.
    expect(h100eFactor({ denseFp32Tflops: 15.67, denseBf16Tflops: 125, denseFp8Tflops: null, tdpWatts: 300 }, 'max')).toBe(125 / 1979);
    // Only FP32 (an Intel Max 1550): 52.43 ÷ 1979.
    expect(h100eFactor({ denseFp32Tflops: 52.43, denseBf16Tflops: null, denseFp8Tflops: null, tdpWatts: 600 }, 'max')).toBe(52.43 / 1979);
    // TPU v6e: INT8 1,836 beats BF16 918.
    expect(h100eFactor({ denseBf16Tflops: 918, denseFp8Tflops: null, denseInt8Tops: 1836, tdpWatts: null }, 'max')).toBe(1836 / 1979);
  });

  it('is null where the chip has no rate at all', () => {
    expect(h100eFactor(GB300, 'max')).toBeNull();
    expect(
      highestDenseRate({ denseFp32Tflops: null, denseBf16Tflops: null, denseFp8Tflops: null, denseInt8Tops: null, tdpWatts: 1 }),
    ).toBeNull();
  });

  it('lists the factor at every precision', () => {
    expect(h100eFactors(A100)).toEqual({ bf16: 312 / 989, fp8: null, max: 312 / 1979 });
    expect(h100eFactors(H100_EPOCH)).toEqual({ bf16: 989.4 / 989, fp8: null, max: 1 });
  });

  it('is the largest known rate ÷ 1,979, whichever rates are known', () => {
    fc.assert(
      fc.property(rate, rate, rate, rate, (denseFp32Tflops, denseBf16Tflops, denseFp8Tflops, denseInt8Tops) => {
        const chip = { denseFp32Tflops, denseBf16Tflops, denseFp8Tflops, denseInt8Tops, tdpWatts: null };
        const max = h100eFactor(chip, 'max');
        const known = [denseFp32Tflops, denseBf16Tflops, denseFp8Tflops, denseInt8Tops].filter((value) => value !== null);
        if (known.length === 0) return max === null;
        return known.every((value) => max! >= value / 1979) && known.some((value) => max === value / 1979);
      }),
    );
  });
});

describe('commitment metrics', () => {
  const amount = (quantity: number | null, statedH100e: number | null = null, statedPowerMw: number | null = null) => ({
    quantity,
    statedH100e,
    statedPowerMw,
  });

  it('derives units, H100e and power from the quantity and the chip', () => {
    expect(commitmentMetrics(amount(350_000), H100)).toEqual({ units: 350_000, h100e: 350_000, power_mw: 245 });
    expect(commitmentMetrics(amount(10_000), B200)).toEqual({ units: 10_000, h100e: (10_000 * 2250) / 989, power_mw: 10 });
  });

  it('prefers stated H100e and stated power to derived ones', () => {
    expect(commitmentMetrics(amount(350_000, 600_000, 500), H100)).toEqual({ units: 350_000, h100e: 600_000, power_mw: 500 });
  });

  it('leaves a metric null, never 0, when it cannot be derived', () => {
    expect(commitmentMetrics(amount(null), H100)).toEqual({ units: null, h100e: null, power_mw: null });
    expect(commitmentMetrics(amount(5_000), GB300)).toEqual({ units: 5_000, h100e: null, power_mw: null });
    expect(commitmentMetrics(amount(5_000), null)).toEqual({ units: 5_000, h100e: null, power_mw: null });
    expect(commitmentMetrics(amount(null, null, 1000), null)).toEqual({ units: null, h100e: null, power_mw: 1000 });
  });

  it('uses the FP8 factor at FP8 precision', () => {
    expect(commitmentMetrics(amount(1_000), MI300X, 'fp8').h100e).toBe((1_000 * 2615) / 1979);
  });

  it('uses the highest dense rate at precision max', () => {
    expect(commitmentMetrics(amount(1_000), { ...A100, denseInt8Tops: 624 }, 'max').h100e).toBe((1_000 * 624) / 1979);
    expect(commitmentMetrics(amount(1_000), GB300, 'max').h100e).toBeNull();
  });
});
