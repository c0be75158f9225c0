import { h100eFactors } from '../domain/metrics.js';
import type { Precision } from '../domain/vocabulary.js';
import type { Accelerator } from './accelerator.entity.js';

export type AcceleratorView = Accelerator & {
  h100eFactor: number | null;
  h100eFactorFp8: number | null;
  h100eFactors: Record<Precision, number | null>;
};

/**
 * An accelerator as the API shows it: with its H100-equivalent factor at BF16 (the default), at FP8, and at every
 * precision (`max`: the highest dense rate ÷ 1,979, Epoch AI's convention).
 */
export function toAcceleratorView(accelerator: Accelerator): AcceleratorView {
  const factors = h100eFactors(accelerator);
  return Object.assign(accelerator, { h100eFactor: factors.bf16, h100eFactorFp8: factors.fp8, h100eFactors: factors });
}
