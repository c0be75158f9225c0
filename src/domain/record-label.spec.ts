import { describe, expect, it } from 'vitest';
import { commitmentLabel } from './record-label.js';

const meta = {
  company: 'Meta',
  chip: 'H100 SXM',
  acceleratorKind: 'gpu' as const,
  quantity: 350_000,
  statedH100e: null,
  statedPowerMw: null,
};

describe('commitment labels', () => {
  it('name the company, the chip and the quantity', () => {
    expect(commitmentLabel(meta)).toBe('Meta · H100 SXM · 350,000');
  });

  it('fall back to the stated H100e, then the stated power, then say the amount is undisclosed', () => {
    expect(commitmentLabel({ ...meta, quantity: null, statedH100e: 600_000 })).toBe('Meta · H100 SXM · 600,000 H100e');
    expect(commitmentLabel({ ...meta, quantity: null, statedPowerMw: 1000.5 })).toBe('Meta · H100 SXM · 1,000.5 MW');
    expect(commitmentLabel({ ...meta, quantity: null })).toBe('Meta · H100 SXM · undisclosed');
  });

  it('name a chip known only by its kind', () => {
    expect(commitmentLabel({ ...meta, chip: null, acceleratorKind: 'custom', quantity: null })).toBe(
      'Meta · Unknown custom chip · undisclosed',
    );
    expect(commitmentLabel({ ...meta, chip: null })).toBe('Meta · Unknown GPU · 350,000');
  });
});
