import { h100eFactor } from '../domain/metrics.js';
import type { Accelerator } from './accelerator.entity.js';

export type AcceleratorView = Accelerator & { h100eFactor: number | null; h100eFactorFp8: number | null };

/** An accelerator as the API shows it: with its H100-equivalent factors at BF16 (the default) and FP8. */
export function toAcceleratorView(accelerator: Accelerator): AcceleratorView {
  return Object.assign(accelerator, {
    h100eFactor: h100eFactor(accelerator, 'bf16'),
    h100eFactorFp8: h100eFactor(accelerator, 'fp8'),
  });
}
