import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, restoreCell } from './csv-cells.js';

const formulaStarts = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

describe('CSV cells', () => {
  it('writes a formula with a leading apostrophe and leaves other text alone', () => {
    expect(neutraliseCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(neutraliseCell('-1 test source')).toBe("'-1 test source");
    expect(neutraliseCell('＝1+1')).toBe("'＝1+1");
    expect(neutraliseCell('\tindented')).toBe("'\tindented");
    expect(neutraliseCell('Meta buys 350,000 H100')).toBe('Meta buys 350,000 H100');
    expect(neutraliseCell("'quoted")).toBe("'quoted");
    expect(neutraliseCell('')).toBe('');
  });

  it('restores exactly what it neutralised, for any text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom(...formulaStarts, "'", "''"), fc.string()).map(([start, rest]) => start + rest),
    );
    fc.assert(
      fc.property(text, (cell) => {
        const written = neutraliseCell(cell);
        expect(restoreCell(written)).toBe(cell);
        // Nothing a spreadsheet runs is ever written.
        expect(formulaStarts.some((start) => written.startsWith(start))).toBe(false);
      }),
    );
  });

  it('removes one apostrophe only, and only before a formula character', () => {
    expect(restoreCell("'=1")).toBe('=1');
    expect(restoreCell("''=1")).toBe("'=1");
    expect(neutraliseCell("'=1")).toBe("''=1");
    expect(restoreCell("'quoted")).toBe("'quoted");
  });
});
