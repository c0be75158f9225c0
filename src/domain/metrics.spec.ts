import { describe, expect, it } from 'vitest';
import { commitmentMetrics, h100eFactor } from './metrics.js';

const H100 = { denseBf16Tflops: 989, denseFp8Tflops: 1979, tdpWatts: 700 };
const B200 = { denseBf16Tflops: 2250, denseFp8Tflops: 4500, tdpWatts: 1000 };
const MI300X = { denseBf16Tflops: 1307, denseFp8Tflops: 2615, tdpWatts: 750 };
const GB300 = { denseBf16Tflops: null, denseFp8Tflops: null, tdpWatts: null };
const A100 = { denseBf16Tflops: 312, denseFp8Tflops: null, tdpWatts: 400 };

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
});
