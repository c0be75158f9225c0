import { describe, expect, it } from 'vitest';
import {
  settleAcceleratorKind,
  settleQuantityQualifier,
  settleWindow,
  supersessionCycles,
  supersessionViolation,
} from './commitment-rules.js';

describe('settleAcceleratorKind', () => {
  it('takes the chip kind, refuses a contradicting one, and needs a kind without a chip', () => {
    const h100 = { name: 'H100 SXM', kind: 'gpu' as const };
    expect(settleAcceleratorKind(h100, undefined)).toEqual({ value: 'gpu' });
    expect(settleAcceleratorKind(h100, 'gpu')).toEqual({ value: 'gpu' });
    expect(settleAcceleratorKind(h100, 'custom').violation?.field).toBe('acceleratorKind');
    expect(settleAcceleratorKind(null, 'custom')).toEqual({ value: 'custom' });
    expect(settleAcceleratorKind(null, undefined).violation?.message).toBe('acceleratorKind is required when acceleratorId is null');
  });
});

describe('settleQuantityQualifier and settleWindow', () => {
  it('drops a qualifier without a quantity and defaults one to exact', () => {
    expect(settleQuantityQualifier(null, 'up_to')).toBeNull();
    expect(settleQuantityQualifier(5, null)).toBe('exact');
    expect(settleQuantityQualifier(5, 'at_least')).toBe('at_least');
  });

  it('computes the window with its defaults and refuses one that ends before it starts', () => {
    // 2024-Q1 = 2024 * 4 + 0 = 8096; 2024-Q4 = 8099
    expect(settleWindow({ announcedOn: '2024-01-18', deliveryFrom: null, deliveryBy: '2024-Q4' })).toEqual({
      value: { first: 8096, last: 8099 },
    });
    expect(settleWindow({ announcedOn: '2024-01-18', deliveryFrom: '2025-Q1', deliveryBy: '2024-Q4' }).violation?.field).toBe(
      'deliveryFrom',
    );
  });
});

describe('supersession', () => {
  const facts = { record: { id: 'b', companyId: 'meta' }, targetId: 'a', target: { companyId: 'meta' }, rivalId: null, formsCycle: false };

  it('accepts a revision of a record of the same company, and names each violation', () => {
    expect(supersessionViolation(facts)).toBeNull();
    expect(supersessionViolation({ ...facts, target: null })?.message).toBe('commitment a does not exist');
    expect(supersessionViolation({ ...facts, target: { companyId: 'xai' } })?.message).toBe(
      'a record can only supersede a record of the same company',
    );
    expect(supersessionViolation({ ...facts, rivalId: 'c' })).toMatchObject({ message: 'already superseded by c', conflict: true });
    expect(supersessionViolation({ ...facts, rivalId: 'b' })).toBeNull();
    expect(supersessionViolation({ ...facts, formsCycle: true })?.message).toBe('superseding this record would form a cycle');
  });

  it('finds the records on cycles, and only those, along chains of any length', () => {
    const links = new Map<string, string | null>([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['d', 'a'],
      ['e', 'f'],
      ['f', null],
    ]);
    expect([...supersessionCycles(['d', 'e', 'a'], (id) => links.get(id))].sort()).toEqual(['a', 'b', 'c']);
    const chain = new Map(Array.from({ length: 200_000 }, (_, index) => [`r${index}`, index === 0 ? null : `r${index - 1}`]));
    expect(supersessionCycles(chain.keys(), (id) => chain.get(id)).size).toBe(0);
  });
});
