import { describe, expect, it } from 'vitest';
import { type CapacityRecord, computeCapacity } from './capacity.js';

const record = (id: string, fields: Partial<CapacityRecord>): CapacityRecord => ({
  id,
  companyId: 'c1',
  companyName: 'One',
  acceleratorId: null,
  acceleratorKind: 'gpu',
  status: 'announced',
  quantity: 10,
  statedH100e: null,
  statedPowerMw: null,
  announcedOn: '2025-01-10',
  deliveryFrom: '2025-Q1',
  deliveryBy: '2025-Q1',
  ...fields,
});

describe('computeCapacity by country and company kind', () => {
  const records = [
    record('a', { companyCountry: 'US', companyKind: 'hyperscaler', quantity: 30 }),
    record('b', { companyCountry: 'US', companyKind: 'hyperscaler', siteCountry: 'IE', quantity: 20 }),
    record('c', { companyId: 'c2', companyName: 'Two', companyCountry: null, companyKind: 'sovereign', quantity: 5 }),
    record('d', { companyId: 'c3', companyName: 'Three', companyCountry: 'FR', quantity: 7 }),
  ];
  const ledger = { records, chips: new Map(), revisions: [] };
  const groups = (groupBy: 'country' | 'companyKind') =>
    computeCapacity(ledger, { metric: 'units', precision: 'bf16', basis: 'delivery', groupBy, cumulative: false }).series.map(
      ({ key, label, values }) => ({ key, label, values }),
    );

  it('puts a record under its site country, else its company’s, else "Unknown country"', () => {
    expect(groups('country')).toEqual([
      { key: 'US', label: 'US', values: [30] },
      { key: 'IE', label: 'IE', values: [20] },
      { key: 'FR', label: 'FR', values: [7] },
      { key: 'unknown', label: 'Unknown country', values: [5] },
    ]);
  });

  it('puts a record under its company’s kind, "Other" where none is known', () => {
    expect(groups('companyKind')).toEqual([
      { key: 'hyperscaler', label: 'Hyperscaler', values: [50] },
      { key: 'other', label: 'Other', values: [7] },
      { key: 'sovereign', label: 'Sovereign programme', values: [5] },
    ]);
  });
});
