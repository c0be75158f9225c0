import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidateFacts, type DuplicateFacts, mayDuplicate, recordFacts } from './duplicates.js';

const base: DuplicateFacts = {
  company: 'c1',
  chip: 'h100',
  kind: 'gpu',
  window: { first: 8100, last: 8103 },
  amount: { value: 100_000, unit: 'units' },
};

describe('mayDuplicate', () => {
  it('takes the same company, chip, an overlapping window and an amount within 10 % as a duplicate', () => {
    expect(mayDuplicate(base, { ...base, window: { first: 8103, last: 8106 }, amount: { value: 91_000, unit: 'units' } })).toBe(true);
    // 10 % of the larger amount exactly: still the same figure.
    expect(mayDuplicate(base, { ...base, amount: { value: 90_000, unit: 'units' } })).toBe(true);
  });

  it('tells claims apart on any one fact', () => {
    expect(mayDuplicate(base, { ...base, company: 'c2' })).toBe(false);
    expect(mayDuplicate(base, { ...base, chip: 'b200' })).toBe(false);
    expect(mayDuplicate(base, { ...base, window: { first: 8104, last: 8104 } })).toBe(false);
    expect(mayDuplicate(base, { ...base, amount: { value: 89_999, unit: 'units' } })).toBe(false);
    expect(mayDuplicate(base, { ...base, amount: { value: 100_000, unit: 'h100e' } })).toBe(false);
    expect(mayDuplicate(base, { ...base, amount: null })).toBe(false);
    expect(mayDuplicate(base, { ...base, company: null })).toBe(false);
  });

  it('matches unnamed chips by their kind, and two undisclosed amounts', () => {
    const custom = { ...base, chip: null, kind: 'custom' as const, amount: null };
    expect(mayDuplicate(custom, { ...custom })).toBe(true);
    expect(mayDuplicate(custom, { ...custom, kind: 'gpu' })).toBe(false);
  });

  it('is symmetric', () => {
    const facts = fc.record({
      company: fc.constantFrom('a', 'b', null),
      chip: fc.constantFrom('x', null),
      kind: fc.constantFrom('gpu' as const, 'custom' as const),
      window: fc.tuple(fc.integer({ min: 8000, max: 8010 }), fc.nat(4)).map(([first, length]) => ({ first, last: first + length })),
      amount: fc.option(fc.record({ value: fc.integer({ min: 1, max: 1000 }), unit: fc.constantFrom('units' as const, 'mw' as const) })),
    });
    fc.assert(fc.property(facts, facts, (a, b) => mayDuplicate(a, b) === mayDuplicate(b, a)));
  });
});

describe('candidateFacts and recordFacts', () => {
  it('read a candidate and a record of the same claim alike', () => {
    const candidate = candidateFacts(
      {
        company: { id: 'c1', name: 'Meta' },
        accelerator: { id: 'h100', name: 'H100 SXM' },
        acceleratorKind: 'gpu',
        quantity: 350_000,
        quantityQualifier: 'approximate',
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2024-Q4',
        status: 'announced',
      },
      '2024-02-28',
    );
    const record = recordFacts({
      companyId: 'c1',
      acceleratorId: 'h100',
      acceleratorKind: 'gpu',
      quantity: 340_000,
      statedH100e: null,
      statedPowerMw: null,
      announcedOn: '2024-01-18',
      deliveryFrom: null,
      deliveryBy: '2024-Q4',
    });
    expect(candidate.window).toEqual(record.window);
    expect(mayDuplicate(candidate, record)).toBe(true);
  });

  it('compare names the catalog lacks without case', () => {
    const of = (name: string) =>
      candidateFacts(
        {
          company: { id: null, name },
          accelerator: null,
          acceleratorKind: 'gpu',
          quantity: null,
          quantityQualifier: null,
          amountLow: null,
          amountHigh: null,
          deliveryFrom: null,
          deliveryBy: null,
          status: 'announced',
        },
        '2025-03-01',
      );
    expect(mayDuplicate(of('Northwind AI'), of('northwind ai '))).toBe(true);
  });
});
