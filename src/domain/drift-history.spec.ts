import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DriftHistory, type LinkSpan } from './drift-history.js';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('DriftHistory', () => {
  it('finds the records changed after one date and by another', () => {
    const history = new DriftHistory(
      [
        { id: 'a', day: '2026-03-01' },
        { id: 'b', day: '2026-03-02' },
        { id: 'c', day: '2026-03-04' },
        { id: 'b', day: '2026-03-04' },
      ],
      [],
    );
    expect(history.changedBetween('2026-03-01', '2026-03-03')).toEqual(['b']);
    expect(history.changedBetween('2026-03-01', '2026-03-04').sort()).toEqual(['b', 'c']);
    expect(history.changedBetween('2026-02-28', '2026-03-01')).toEqual(['a']);
    expect(history.changedBetween('2026-03-04', '2026-03-05')).toEqual([]);
  });

  it('closes over links both ways and transitively, only those that stood between the two dates', () => {
    const links: LinkSpan[] = [
      // b supersedes a from 03-02 on; c is part of b from 03-03 until 03-04; d supersedes c, ended on 03-01.
      { id: 'b', linked: 'a', fromDay: '2026-03-02', toDay: null },
      { id: 'c', linked: 'b', fromDay: '2026-03-03', toDay: '2026-03-04' },
      { id: 'd', linked: 'c', fromDay: '2026-02-01', toDay: '2026-03-01' },
    ];
    const history = new DriftHistory([], links);
    expect(history.closure(['a'], '2026-03-01', '2026-03-02').sort()).toEqual(['a', 'b']);
    expect(history.closure(['a'], '2026-03-02', '2026-03-03').sort()).toEqual(['a', 'b', 'c']);
    // The link of c ended on 03-04: it stood at the end of 03-03, not after.
    expect(history.closure(['a'], '2026-03-03', '2026-03-05').sort()).toEqual(['a', 'b', 'c']);
    expect(history.closure(['a'], '2026-03-04', '2026-03-05').sort()).toEqual(['a', 'b']);
    expect(history.closure(['c'], '2026-03-01', '2026-03-02').sort()).toEqual(['c']);
    expect(history.closure(['c'], '2026-02-27', '2026-02-28').sort()).toEqual(['c', 'd']);
  });

  it('gives the connected components of the seeds over the links standing between the dates', () => {
    const day = fc.constantFrom(...DAYS);
    const link = fc.record({
      id: fc.constantFrom(...IDS),
      linked: fc.constantFrom(...IDS),
      fromDay: day,
      toDay: fc.option(day, { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(link, { maxLength: 10 }), fc.subarray(IDS), day, day, (links, seeds, a, b) => {
        const [previous, date] = a <= b ? [a, b] : [b, a];
        const standing = links.filter((l) => l.fromDay <= date && (l.toDay === null || l.toDay > previous));
        // Naive components: repeat merging until nothing changes.
        const component = new Map(IDS.map((id) => [id, id]));
        for (let changed = true; changed;) {
          changed = false;
          for (const l of standing) {
            const [x, y] = [component.get(l.id)!, component.get(l.linked)!];
            if (x === y) continue;
            const keep = x < y ? x : y;
            for (const [id, c] of component) if (c === x || c === y) component.set(id, keep);
            changed = true;
          }
        }
        const roots = new Set(seeds.map((id) => component.get(id)));
        const expected = IDS.filter((id) => roots.has(component.get(id)));
        expect(new DriftHistory([], links).closure(seeds, previous, date).sort()).toEqual(expected);
      }),
    );
  });
});
