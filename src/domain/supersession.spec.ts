import { describe, expect, it } from 'vitest';
import { supersededIds } from './supersession.js';

const record = (id: string, supersedesId: string | null = null, deleted = false) => ({ id, supersedesId, deleted });

describe('supersession', () => {
  it('leaves out the revised record and keeps the revision (Tesla 35,000 → 50,000)', () => {
    expect(supersededIds([record('tesla-35k'), record('tesla-50k', 'tesla-35k')])).toEqual(new Set(['tesla-35k']));
  });

  it('keeps only the newest record of a chain longer than two', () => {
    const chain = [record('a'), record('b', 'a'), record('c', 'b'), record('d', 'c')];
    expect(supersededIds(chain)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('does not let a deleted record supersede: the one before it counts again', () => {
    expect(supersededIds([record('a'), record('b', 'a'), record('c', 'b', true)])).toEqual(new Set(['a']));
    expect(supersededIds([record('a'), record('b', 'a', true)])).toEqual(new Set());
  });

  it('follows the definition link by link: a deleted middle record no longer supersedes the first', () => {
    // b is deleted, so nothing live names a; c still names b (which does not count anyway, being deleted).
    expect(supersededIds([record('a'), record('b', 'a', true), record('c', 'b')])).toEqual(new Set(['b']));
  });

  it('is empty for records that revise nothing', () => {
    expect(supersededIds([record('a'), record('b')])).toEqual(new Set());
  });
});
