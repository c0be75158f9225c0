import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CapacityChip,
  type CapacityLedger,
  type CapacityQuery,
  type CapacityRecord,
  computeCapacity,
  summarizeCapacity,
} from './capacity.js';
import { type CompanyFacts, type LinkedFacts, attributedRecords } from './attributed-records.js';
import { quarterFromIndex } from './quarter.js';
import { ATTRIBUTIONS } from './attribution.js';
import { BASES, CERTAINTIES, GROUP_BYS, METRICS, QUANTITY_QUALIFIERS } from './vocabulary.js';

// The ranges of capacity figures (DESIGN.md, "Ranges and certainty"), computed by hand, and low ≤ value ≤ high for
// every generated ledger.
const CHIPS: CapacityChip[] = [
  { id: 'H100 SXM', name: 'H100 SXM', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: 989, denseFp8Tflops: 1979, tdpWatts: 700 },
  { id: 'B200', name: 'B200', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: 2250, denseFp8Tflops: 4500, tdpWatts: 1000 },
  { id: 'TPU v7', name: 'TPU v7', vendor: 'Google', kind: 'custom', denseBf16Tflops: 2307, denseFp8Tflops: 4614, tdpWatts: null },
  { id: 'GB300', name: 'GB300', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: null, denseFp8Tflops: null, tdpWatts: null },
];

let sequence = 0;
function record(fields: Partial<CapacityRecord> & { companyName: string; announcedOn: string }): CapacityRecord {
  sequence++;
  return {
    id: `record-${sequence}`,
    companyId: `company-${fields.companyName}`,
    acceleratorId: 'H100 SXM',
    acceleratorKind: 'gpu',
    quantity: null,
    statedH100e: null,
    statedPowerMw: null,
    deliveryFrom: null,
    deliveryBy: null,
    status: 'announced',
    ...fields,
  };
}
const ledger = (records: CapacityRecord[]): CapacityLedger => ({
  records,
  chips: new Map(CHIPS.map((chip) => [chip.id, chip])),
  revisions: [],
});
const query = (fields: Partial<CapacityQuery> = {}): CapacityQuery => ({
  metric: 'units',
  precision: 'bf16',
  basis: 'delivery',
  groupBy: 'company',
  cumulative: false,
  ...fields,
});

// Meta, January 2024: about 350,000 H100 by the end of the year (87,500 a quarter).
const meta = record({
  companyName: 'Meta',
  quantity: 350_000,
  quantityQualifier: 'approximate',
  announcedOn: '2024-01-18',
  deliveryBy: '2024-Q4',
});

describe('the range of each record, summed', () => {
  it('approximate: ±10 % by default, ±25 % with APPROXIMATE_MARGIN 0.25', () => {
    const report = computeCapacity(ledger([meta]), query());
    expect(report.series[0].values).toEqual([87_500, 87_500, 87_500, 87_500]);
    report.series[0].low.forEach((low) => expect(low).toBeCloseTo(78_750, 6));
    report.series[0].high.forEach((high) => expect(high).toBeCloseTo(96_250, 6));
    expect([report.total, report.openAbove]).toEqual([350_000, 0]);
    expect(report.low).toBeCloseTo(315_000, 6);
    expect(report.high).toBeCloseTo(385_000, 6);
    const wide = computeCapacity(ledger([meta]), query({ approximateMargin: 0.25 }));
    expect(wide.low).toBeCloseTo(262_500, 6);
    expect(wide.high).toBeCloseTo(437_500, 6);
  });

  it('up_to from 0, at_least open above, speculative from 0, exact as it is', () => {
    const tpus = record({
      companyName: 'Anthropic',
      acceleratorId: 'TPU v7',
      quantity: 1_000_000,
      quantityQualifier: 'up_to',
      announcedOn: '2025-10-23',
    });
    const atLeast = record({ companyName: 'xAI', quantity: 100_000, quantityQualifier: 'at_least', announcedOn: '2025-10-01' });
    const speculative = record({ companyName: 'Lab', quantity: 20_000, certainty: 'speculative', announcedOn: '2025-11-01' });
    const exact = record({ companyName: 'Cloud', quantity: 5_000, quantityQualifier: 'exact', announcedOn: '2025-12-01' });
    const report = computeCapacity(ledger([tpus, atLeast, speculative, exact]), query());
    expect(report.quarters).toEqual(['2025-Q4']);
    expect(report.series.map(({ label, values, low, high }) => [label, values[0], low[0], high[0]])).toEqual([
      ['Anthropic', 1_000_000, 0, 1_000_000],
      ['xAI', 100_000, 100_000, 100_000],
      ['Lab', 20_000, 0, 20_000],
      ['Cloud', 5_000, 5_000, 5_000],
    ]);
    expect([report.total, report.low, report.high, report.openAbove]).toEqual([1_125_000, 105_000, 1_125_000, 1]);
  });

  it('explicit bounds, scaled to the metric: 10,000 B200 (8,000–12,000) are 10,000 × 2250/989 H100e, from 0.8 to 1.2 times that', () => {
    const b200 = record({
      companyName: 'DT',
      acceleratorId: 'B200',
      quantity: 10_000,
      amountLow: 8_000,
      amountHigh: 12_000,
      announcedOn: '2025-11-04',
    });
    const units = computeCapacity(ledger([b200]), query());
    expect([units.total, units.low, units.high]).toEqual([10_000, 8_000, 12_000]);
    const h100e = computeCapacity(ledger([b200]), query({ metric: 'h100e' }));
    const value = 10_000 * (2250 / 989);
    expect(h100e.total).toBe(value);
    expect(h100e.low).toBeCloseTo(value * 0.8, 6);
    expect(h100e.high).toBeCloseTo(value * 1.2, 6);
    // 1 GW stated with up to 1.5 GW: in power, 1,000 MW from 1,000 to 1,500.
    const gw = record({ companyName: 'OpenAI', acceleratorId: null, statedPowerMw: 1_000, amountHigh: 1_500, announcedOn: '2025-10-06' });
    const power = computeCapacity(ledger([gw]), query({ metric: 'power_mw' }));
    expect([power.total, power.low, power.high]).toEqual([1_000, 1_000, 1_500]);
  });

  it('an at_least with a known upper bound is not open above; openAbove counts only records overlapping the period', () => {
    const bounded = record({
      companyName: 'xAI',
      quantity: 100_000,
      quantityQualifier: 'at_least',
      amountHigh: 150_000,
      announcedOn: '2025-01-10',
    });
    const open = record({
      companyName: 'xAI',
      quantity: 50_000,
      quantityQualifier: 'at_least',
      announcedOn: '2025-01-10',
      deliveryBy: '2025-Q2',
    });
    const data = ledger([bounded, open]);
    expect(computeCapacity(data, query()).openAbove).toBe(1);
    expect(computeCapacity(data, query({ from: '2025-Q2' })).openAbove).toBe(1);
    expect(computeCapacity(data, query({ from: '2025-Q3', to: '2025-Q4' })).openAbove).toBe(0);
    expect(summarizeCapacity(data, { metric: 'units', precision: 'bf16', basis: 'delivery' })).toMatchObject({
      total: 150_000,
      low: 150_000,
      high: 200_000,
      openAbove: 1,
    });
  });
});

describe('bands over quarters and series', () => {
  it('cumulative: the band is the running sum of the lows and of the highs, from everything before from', () => {
    const report = computeCapacity(ledger([meta]), query({ from: '2024-Q3', cumulative: true }));
    expect(report.series[0].values).toEqual([87_500 * 3, 350_000]);
    expect(report.series[0].low[0]).toBeCloseTo(78_750 * 3, 6);
    expect(report.series[0].low[1]).toBeCloseTo(315_000, 6);
    expect(report.series[0].high[1]).toBeCloseTo(385_000, 6);
    // The totals are the period's, not cumulative: 2024-Q3 and 2024-Q4.
    expect(report.low).toBeCloseTo(78_750 * 2, 6);
    expect(report.high).toBeCloseTo(96_250 * 2, 6);
  });

  it('top=N folds the bands of the rest into "Others"', () => {
    const records = [
      record({ companyName: 'A', quantity: 400, quantityQualifier: 'up_to', announcedOn: '2024-01-01' }),
      record({ companyName: 'B', quantity: 300, amountLow: 200, amountHigh: 500, announcedOn: '2024-01-01' }),
      record({ companyName: 'C', quantity: 200, quantityQualifier: 'at_least', amountHigh: 260, announcedOn: '2024-01-01' }),
      record({ companyName: 'D', quantity: 100, certainty: 'speculative', announcedOn: '2024-01-01' }),
    ];
    const report = computeCapacity(ledger(records), query({ top: 1 }));
    expect(
      report.series.map(({ label, values, low, high, total, totalLow, totalHigh }) => [
        label,
        values,
        low,
        high,
        total,
        totalLow,
        totalHigh,
      ]),
    ).toEqual([
      ['A', [400], [0], [400], 400, 0, 400],
      ['Others', [600], [200 + 200 + 0], [500 + 260 + 100], 600, 400, 860],
    ]);
    expect([report.total, report.low, report.high]).toEqual([1_000, 400, 1_260]);
  });
});

describe('low ≤ value ≤ high', () => {
  const quarter = fc.integer({ min: 2023 * 4, max: 2026 * 4 + 3 });
  const arbitraryRecord = fc
    .record({
      company: fc.constantFrom('A', 'B', 'C', 'D'),
      chip: fc.constantFrom<string | null>(null, ...CHIPS.map((chip) => chip.id)),
      kind: fc.constantFrom('gpu' as const, 'custom' as const),
      quantity: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: null }),
      statedH100e: fc.option(fc.double({ min: 0.001, max: 1e7, noNaN: true }), { nil: null }),
      statedPowerMw: fc.option(fc.double({ min: 0.001, max: 1e5, noNaN: true }), { nil: null }),
      qualifier: fc.constantFrom(...QUANTITY_QUALIFIERS),
      certainty: fc.constantFrom(...CERTAINTIES),
      lowFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      highFactor: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null }),
      announced: quarter,
      from: fc.option(quarter, { nil: null }),
      length: fc.integer({ min: 0, max: 6 }),
      status: fc.constantFrom('announced' as const, 'confirmed' as const, 'rumored' as const),
    })
    .map((drawn): CapacityRecord => {
      const primary = drawn.quantity ?? drawn.statedH100e ?? drawn.statedPowerMw;
      const announcedOn = `${Math.floor(drawn.announced / 4)}-${String((drawn.announced % 4) * 3 + 1).padStart(2, '0')}-15`;
      const from = drawn.from ?? drawn.announced;
      return record({
        companyName: drawn.company,
        acceleratorId: drawn.chip,
        acceleratorKind: drawn.chip ? CHIPS.find((chip) => chip.id === drawn.chip)!.kind : drawn.kind,
        quantity: drawn.quantity,
        statedH100e: drawn.statedH100e,
        statedPowerMw: drawn.statedPowerMw,
        quantityQualifier: drawn.quantity === null ? null : drawn.qualifier,
        certainty: drawn.certainty,
        amountLow: primary === null || drawn.lowFraction === null ? null : primary * drawn.lowFraction,
        amountHigh: primary === null || drawn.highFactor === null ? null : primary * drawn.highFactor,
        announcedOn,
        deliveryFrom: quarterFromIndex(from),
        deliveryBy: quarterFromIndex(from + drawn.length),
        status: drawn.status,
      });
    });
  const arbitraryQuery = fc.record({
    metric: fc.constantFrom(...METRICS),
    precision: fc.constantFrom('bf16' as const, 'fp8' as const, 'max' as const),
    basis: fc.constantFrom(...BASES),
    groupBy: fc.constantFrom(...GROUP_BYS),
    cumulative: fc.boolean(),
    top: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    from: fc.option(quarter.map(quarterFromIndex), { nil: undefined }),
    length: fc.integer({ min: 0, max: 8 }),
    approximateMargin: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('holds per quarter and series, and for the totals, for every metric, basis and grouping', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRecord, { maxLength: 25 }), arbitraryQuery, (records, drawn) => {
        const { length, ...rest } = drawn;
        const to =
          drawn.from === undefined ? undefined : quarterFromIndex(Number(drawn.from.slice(0, 4)) * 4 + Number(drawn.from[6]) - 1 + length);
        const report = computeCapacity(ledger(records), { ...rest, to });
        for (const series of report.series) {
          series.values.forEach((value, index) => {
            expect(series.low[index]).toBeLessThanOrEqual(value);
            expect(series.high[index]).toBeGreaterThanOrEqual(value);
            expect(series.low[index]).toBeGreaterThanOrEqual(0);
          });
          expect(series.totalLow).toBeLessThanOrEqual(series.total);
          expect(series.totalHigh).toBeGreaterThanOrEqual(series.total);
        }
        expect(report.low).toBeLessThanOrEqual(report.total);
        expect(report.high).toBeGreaterThanOrEqual(report.total);
        expect(report.openAbove).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });
  // Wholes, parts, hosts and site countries: the linked records, counted per read under an attribution
  // (`attributedRecords`) beside records of the rollup's kind.
  const COMPANIES = new Map<string, CompanyFacts>(
    [
      { id: 'company-A', name: 'A', country: 'US', kind: 'hyperscaler' as const },
      { id: 'company-B', name: 'B', country: 'AE', kind: 'sovereign' as const },
      { id: 'company-C', name: 'C', country: null, kind: 'ai_lab' as const },
    ].map((company) => [company.id, company]),
  );
  const arbitraryLinked = fc
    .record({
      drawn: arbitraryRecord,
      host: fc.constantFrom<string | null>(null, 'company-A', 'company-B', 'company-C'),
      siteCountry: fc.constantFrom<string | null>(null, 'US', 'FR'),
      whole: fc.option(fc.nat(), { nil: null }),
      throughOlder: fc.boolean(),
    })
    .map(({ drawn, host, siteCountry, whole, throughOlder }) => ({ drawn, host, siteCountry, whole, throughOlder }));
  const arbitraryLinkedLedger = fc.array(arbitraryLinked, { maxLength: 12 }).map((drawnRows) => {
    const wholes = drawnRows.map((row, index) => ({ row, index })).filter(({ row }) => row.whole === null);
    const links: { id: string; supersedesId: string | null }[] = [];
    const rows: LinkedFacts[] = drawnRows.map(({ drawn, host, siteCountry, whole, throughOlder }, index) => {
      const companyId = ['company-A', 'company-B', 'company-C'][index % 3];
      let partOfId: string | null = null;
      if (whole !== null && wholes.length > 0) {
        const target = `linked-${wholes[whole % wholes.length].index}`;
        // A part may name an older record of its whole's chain: it counts against the newest.
        if (throughOlder) {
          links.push({ id: target, supersedesId: `${target}-older` }, { id: `${target}-older`, supersedesId: null });
          partOfId = `${target}-older`;
        } else partOfId = target;
      }
      return {
        id: `linked-${index}`,
        companyId,
        hostCompanyId: host === companyId ? null : host,
        partOfId,
        siteCountry,
        acceleratorId: drawn.acceleratorId,
        acceleratorKind: drawn.acceleratorKind,
        status: drawn.status,
        quantity: drawn.quantity,
        statedH100e: drawn.statedH100e,
        statedPowerMw: drawn.statedPowerMw,
        quantityQualifier: drawn.quantityQualifier ?? null,
        certainty: drawn.certainty ?? 'confirmed',
        amountLow: drawn.amountLow ?? null,
        amountHigh: drawn.amountHigh ?? null,
        announcedOn: drawn.announcedOn,
        deliveryFrom: drawn.deliveryFrom,
        deliveryBy: drawn.deliveryBy,
      };
    });
    return { rows, links };
  });

  it('holds with wholes, parts and hosts too, for every attribution, metric, basis and grouping', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryRecord, { maxLength: 8 }),
        arbitraryLinkedLedger,
        fc.constantFrom(...ATTRIBUTIONS),
        arbitraryQuery,
        (records, linked, attribution, drawn) => {
          const { length, ...rest } = drawn;
          const to =
            drawn.from === undefined
              ? undefined
              : quarterFromIndex(Number(drawn.from.slice(0, 4)) * 4 + Number(drawn.from[6]) - 1 + length);
          const chips = new Map(CHIPS.map((chip) => [chip.id, chip]));
          const statuses = ['announced', 'confirmed', 'rumored'] as const;
          // The linked rows are read for the counted statuses (the database filters them); here all three count.
          const pieces = attributedRecords(
            linked.rows,
            linked.links,
            { statuses, basis: drawn.basis, metric: drawn.metric, precision: drawn.precision, attribution },
            chips,
            COMPANIES,
            drawn.approximateMargin,
          );
          const report = computeCapacity(ledger([...records, ...pieces]), { ...rest, statuses: [...statuses], to });
          for (const series of report.series) {
            series.values.forEach((value, index) => {
              expect(series.low[index]).toBeLessThanOrEqual(value);
              expect(series.high[index]).toBeGreaterThanOrEqual(value);
              expect(series.low[index]).toBeGreaterThanOrEqual(0);
            });
            expect(series.totalLow).toBeLessThanOrEqual(series.total);
            expect(series.totalHigh).toBeGreaterThanOrEqual(series.total);
          }
          expect(report.low).toBeLessThanOrEqual(report.total);
          expect(report.high).toBeGreaterThanOrEqual(report.total);
          expect(report.openAbove).toBeGreaterThanOrEqual(0);
          const summary = summarizeCapacity(ledger([...records, ...pieces]), { ...rest, statuses: [...statuses], to });
          expect(summary.low).toBeLessThanOrEqual(summary.total);
          expect(summary.high).toBeGreaterThanOrEqual(summary.total);
        },
      ),
      { numRuns: 400 },
    );
    // Four hundred ledgers through both steps take about a second alone; the limit leaves room on a busy machine.
  }, 60_000);
});
