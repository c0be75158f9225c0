import { describe, expect, it } from 'vitest';
import { basisWindow } from './allocation.js';
import {
  type CapacityChip,
  type CapacityLedger,
  type CapacityQuery,
  type CapacityRecord,
  computeCapacity,
  countedStatuses,
  recordAmount,
  seriesGroup,
  summarizeCapacity,
} from './capacity.js';

const chip = (id: string, vendor: string, kind: 'gpu' | 'custom', bf16: number | null, fp8: number | null, tdp: number | null) => ({
  id,
  name: id,
  vendor,
  kind,
  denseBf16Tflops: bf16,
  denseFp8Tflops: fp8,
  tdpWatts: tdp,
});

const CHIPS: CapacityChip[] = [
  chip('H100 SXM', 'Nvidia', 'gpu', 989, 1979, 700),
  chip('B200', 'Nvidia', 'gpu', 2250, 4500, 1000),
  chip('GB300', 'Nvidia', 'gpu', null, null, null),
  chip('MI300X', 'AMD', 'gpu', 1307, 2615, 750),
  chip('TPU v7', 'Google', 'custom', 2307, 4614, null),
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

function ledger(records: CapacityRecord[], revisions: { id: string; supersedesId: string; deleted?: boolean }[] = []): CapacityLedger {
  return {
    records,
    chips: new Map(CHIPS.map((item) => [item.id, item])),
    revisions: revisions.map((revision) => ({ deleted: false, ...revision })),
  };
}

const query = (fields: Partial<CapacityQuery> = {}): CapacityQuery => ({
  metric: 'h100e',
  precision: 'bf16',
  basis: 'delivery',
  groupBy: 'company',
  cumulative: false,
  ...fields,
});

const NO_EXCLUSIONS = { count: 0, reasons: { quantity_undisclosed: 0, chip_unknown: 0, chip_spec_missing: 0 } };
/** A series of exact amounts only: its lows and highs are its values. */
const exact = (series: { key: string; label: string; values: number[]; total: number }) => ({
  ...series,
  low: series.values,
  high: series.values,
  totalLow: series.total,
  totalHigh: series.total,
});
/** The range of a report that counts nothing. */
const NO_RANGE = { low: 0, high: 0, openAbove: 0 };

// Meta, 18 January 2024: about 350,000 H100 by the end of the year.
const meta = record({ companyName: 'Meta', quantity: 350_000, announcedOn: '2024-01-18', deliveryBy: '2024-Q4' });

describe('allocation on the two bases', () => {
  it('spreads 350,000 H100 evenly over 2024 on the delivery basis', () => {
    const report = computeCapacity(ledger([meta]), query());
    expect(report.quarters).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    expect(report.series).toEqual([
      exact({ key: 'company-Meta', label: 'Meta', values: [350_000 / 4, 350_000 / 4, 350_000 / 4, 350_000 / 4], total: 350_000 }),
    ]);
    expect(report.series[0].values[0]).toBe(87_500);
    expect(report.total).toBe(350_000);
    expect(report.excluded).toEqual(NO_EXCLUSIONS);
  });

  it('puts all of it in 2024-Q1, the quarter of the announcement, on the announced basis', () => {
    const report = computeCapacity(ledger([meta]), query({ basis: 'announced' }));
    expect(report.quarters).toEqual(['2024-Q1']);
    expect(report.series[0].values).toEqual([350_000]);
  });

  it('lists every quarter between the first and the last counted one, empty ones as 0', () => {
    const later = record({ companyName: 'Meta', quantity: 1_000, announcedOn: '2025-02-01' });
    const report = computeCapacity(ledger([meta, later]), query({ basis: 'announced' }));
    expect(report.quarters).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1']);
    expect(report.series[0].values).toEqual([350_000, 0, 0, 0, 1_000]);
    expect(report.total).toBe(350_000 + 1_000);
  });
});

describe('metrics and precision', () => {
  it('converts by the BF16 rate, or the FP8 rate when asked (MI300X: 2615 / 1979)', () => {
    const mi300x = record({ companyName: 'Lab', acceleratorId: 'MI300X', quantity: 1_000, announcedOn: '2024-05-01' });
    expect(computeCapacity(ledger([mi300x]), query()).total).toBe(1_000 * (1307 / 989));
    expect(computeCapacity(ledger([mi300x]), query({ precision: 'fp8' })).total).toBe(1_000 * (2615 / 1979));
    expect(computeCapacity(ledger([mi300x]), query({ metric: 'units' })).total).toBe(1_000);
    expect(computeCapacity(ledger([mi300x]), query({ metric: 'power_mw' })).total).toBe((1_000 * 750) / 1_000_000);
  });

  it('counts a chip with no BF16 figure (GB300) in units, and leaves it out of h100e and power_mw', () => {
    const gb300 = record({ companyName: 'Lab', acceleratorId: 'GB300', quantity: 5_000, announcedOn: '2025-07-01' });
    expect(computeCapacity(ledger([gb300]), query({ metric: 'units' })).series[0].values).toEqual([5_000]);
    const h100e = computeCapacity(ledger([gb300]), query());
    expect(h100e).toEqual({
      quarters: [],
      series: [],
      total: 0,
      ...NO_RANGE,
      excluded: { count: 1, reasons: { ...NO_EXCLUSIONS.reasons, chip_spec_missing: 1 } },
    });
    expect(computeCapacity(ledger([gb300]), query({ metric: 'power_mw' })).excluded.reasons.chip_spec_missing).toBe(1);
  });

  it('counts a stated power deal in power_mw only', () => {
    const deal = record({
      companyName: 'OpenAI',
      acceleratorId: null,
      statedPowerMw: 1_000,
      announcedOn: '2025-10-06',
      deliveryFrom: '2026-Q3',
      deliveryBy: '2026-Q4',
    });
    const power = computeCapacity(ledger([deal]), query({ metric: 'power_mw' }));
    expect(power.quarters).toEqual(['2026-Q3', '2026-Q4']);
    expect(power.series[0].values).toEqual([1_000 / 2, 1_000 / 2]);
    for (const metric of ['units', 'h100e'] as const) {
      const report = computeCapacity(ledger([deal]), query({ metric }));
      expect(report.series).toEqual([]);
      expect(report.excluded.reasons.quantity_undisclosed).toBe(1);
    }
  });

  it('prefers a stated H100e figure to the chip', () => {
    const stated = record({ companyName: 'Meta', acceleratorId: null, statedH100e: 600_000, announcedOn: '2024-01-18' });
    expect(computeCapacity(ledger([stated]), query()).total).toBe(600_000);
  });

  it('counts up_to and approximate quantities at face value', () => {
    // The qualifier is not part of the amount: "up to 1,000,000 TPUs" counts as 1,000,000.
    const anthropic = record({
      companyName: 'Anthropic',
      acceleratorId: 'TPU v7',
      quantity: 1_000_000,
      announcedOn: '2025-10-23',
      deliveryFrom: '2026-Q1',
      deliveryBy: '2026-Q4',
    });
    const report = computeCapacity(ledger([anthropic]), query({ metric: 'units' }));
    expect(report.series[0].values).toEqual([250_000, 250_000, 250_000, 250_000]);
  });
});

describe('why a record has no amount', () => {
  const h100 = CHIPS[0];
  const gb300 = CHIPS[2];
  const amount = (quantity: number | null, statedH100e: number | null = null, statedPowerMw: number | null = null) => ({
    quantity,
    statedH100e,
    statedPowerMw,
  });

  it('names the undisclosed quantity first, then the unknown chip, then the missing figure', () => {
    expect(recordAmount(amount(null), h100, 'units', 'bf16')).toEqual({ amount: null, reason: 'quantity_undisclosed' });
    expect(recordAmount(amount(null), null, 'h100e', 'bf16')).toEqual({ amount: null, reason: 'quantity_undisclosed' });
    expect(recordAmount(amount(100), null, 'h100e', 'bf16')).toEqual({ amount: null, reason: 'chip_unknown' });
    expect(recordAmount(amount(100), null, 'power_mw', 'bf16')).toEqual({ amount: null, reason: 'chip_unknown' });
    expect(recordAmount(amount(100), gb300, 'h100e', 'bf16')).toEqual({ amount: null, reason: 'chip_spec_missing' });
    expect(recordAmount(amount(100), gb300, 'power_mw', 'bf16')).toEqual({ amount: null, reason: 'chip_spec_missing' });
    // A100-like: a BF16 rate but no FP8 rate.
    const bf16Only = { denseBf16Tflops: 312, denseFp8Tflops: null, tdpWatts: 400 };
    expect(recordAmount(amount(100), bf16Only, 'h100e', 'bf16')).toEqual({ amount: 100 * (312 / 989) });
    expect(recordAmount(amount(100), bf16Only, 'h100e', 'fp8')).toEqual({ amount: null, reason: 'chip_spec_missing' });
  });

  it('has an amount whenever a stated figure covers the metric', () => {
    expect(recordAmount(amount(null, 600_000), null, 'h100e', 'bf16')).toEqual({ amount: 600_000 });
    expect(recordAmount(amount(null, null, 1_000), null, 'power_mw', 'bf16')).toEqual({ amount: 1_000 });
    expect(recordAmount(amount(10_000), h100, 'units', 'bf16')).toEqual({ amount: 10_000 });
  });

  it('counts exclusions only for records that overlap the requested period (all when none is given)', () => {
    const undisclosed = record({ companyName: 'Meta', acceleratorId: 'H100 SXM', announcedOn: '2024-02-01', deliveryBy: '2024-Q4' });
    const unknownChip = record({ companyName: 'Lab', acceleratorId: null, quantity: 100, announcedOn: '2025-05-01' });
    const data = ledger([meta, undisclosed, unknownChip]);
    expect(computeCapacity(data, query()).excluded).toEqual({
      count: 2,
      reasons: { quantity_undisclosed: 1, chip_unknown: 1, chip_spec_missing: 0 },
    });
    expect(computeCapacity(data, query({ from: '2024-Q4' })).excluded.count).toBe(2);
    expect(computeCapacity(data, query({ from: '2025-Q1' })).excluded).toEqual({
      count: 1,
      reasons: { quantity_undisclosed: 0, chip_unknown: 1, chip_spec_missing: 0 },
    });
    expect(computeCapacity(data, query({ to: '2024-Q1' })).excluded).toEqual({
      count: 1,
      reasons: { quantity_undisclosed: 1, chip_unknown: 0, chip_spec_missing: 0 },
    });
    // On the announced basis the undisclosed record sits in 2024-Q1 only.
    expect(computeCapacity(data, query({ basis: 'announced', from: '2024-Q2', to: '2024-Q4' })).excluded.count).toBe(0);
  });

  it('does not count superseded or filtered-out records as excluded', () => {
    const old = record({ companyName: 'Lab', acceleratorId: 'GB300', quantity: 100, announcedOn: '2025-01-01' });
    const rumored = record({ companyName: 'Lab', acceleratorId: 'GB300', quantity: 100, announcedOn: '2025-01-01', status: 'rumored' });
    const revision = record({ companyName: 'Lab', quantity: 200, announcedOn: '2025-03-01' });
    const report = computeCapacity(ledger([old, rumored, revision], [{ id: revision.id, supersedesId: old.id }]), query());
    expect(report.excluded).toEqual(NO_EXCLUSIONS);
    expect(report.total).toBe(200);
  });
});

describe('supersession and status', () => {
  // Tesla: 35,000 H100 in 2024-Q1, revised to 50,000 deployed in 2024-Q4 (announced January 2025).
  const tesla35 = record({ companyName: 'Tesla', quantity: 35_000, announcedOn: '2024-04-23', deliveryBy: '2024-Q1', status: 'delivered' });
  const tesla50 = record({ companyName: 'Tesla', quantity: 50_000, announcedOn: '2025-01-29', deliveryBy: '2024-Q4', status: 'delivered' });

  it('counts only the 50,000 that supersede the 35,000', () => {
    const report = computeCapacity(ledger([tesla35, tesla50], [{ id: tesla50.id, supersedesId: tesla35.id }]), query());
    expect(report.quarters).toEqual(['2024-Q4']);
    expect(report.series[0].values).toEqual([50_000]);
    expect(report.total).toBe(50_000);
  });

  it('counts only the newest record of a longer chain, and the one before it when the newest is deleted', () => {
    const a = record({ companyName: 'xAI', quantity: 100_000, announcedOn: '2024-05-01' });
    const b = record({ companyName: 'xAI', quantity: 150_000, announcedOn: '2024-07-01' });
    const c = record({ companyName: 'xAI', quantity: 200_000, announcedOn: '2024-10-01' });
    const links = [
      { id: b.id, supersedesId: a.id },
      { id: c.id, supersedesId: b.id },
    ];
    expect(computeCapacity(ledger([a, b, c], links), query()).total).toBe(200_000);
    // c deleted: it is no longer among the live records, and its link no longer supersedes b.
    const withoutC = ledger([a, b], [links[0], { ...links[1], deleted: true }]);
    expect(computeCapacity(withoutC, query()).total).toBe(150_000);
  });

  it('counts a record superseded by one the filters leave out as superseded all the same', () => {
    // The revision is rumored (not counted by default), yet it replaces the earlier figure.
    const earlier = record({ companyName: 'Lab', quantity: 1_000, announcedOn: '2024-05-01' });
    const report = computeCapacity(ledger([earlier], [{ id: 'rumored-revision', supersedesId: earlier.id }]), query());
    expect(report.series).toEqual([]);
  });

  it('counts announced, confirmed and delivered by default, and rumored or cancelled only when asked', () => {
    const rumored = record({ companyName: 'Lab', quantity: 1_000, announcedOn: '2024-05-01', status: 'rumored' });
    const cancelled = record({ companyName: 'Lab', quantity: 2_000, announcedOn: '2024-05-01', status: 'cancelled' });
    const confirmed = record({ companyName: 'Lab', quantity: 4_000, announcedOn: '2024-05-01', status: 'confirmed' });
    const data = ledger([rumored, cancelled, confirmed]);
    expect(countedStatuses(undefined)).toEqual(['announced', 'confirmed', 'delivered']);
    expect(countedStatuses([])).toEqual(['announced', 'confirmed', 'delivered']);
    expect(computeCapacity(data, query()).total).toBe(4_000);
    expect(computeCapacity(data, query({ statuses: ['rumored'] })).total).toBe(1_000);
    expect(computeCapacity(data, query({ statuses: ['rumored', 'cancelled'] })).total).toBe(1_000 + 2_000);
    expect(computeCapacity(data, query({ statuses: ['delivered'] }))).toEqual({
      quarters: [],
      series: [],
      total: 0,
      ...NO_RANGE,
      excluded: NO_EXCLUSIONS,
    });
  });
});

describe('grouping', () => {
  const b200 = record({ companyName: 'DT', acceleratorId: 'B200', quantity: 10_000, announcedOn: '2025-11-04' });
  const mtia = record({
    companyName: 'Meta',
    acceleratorId: null,
    acceleratorKind: 'custom',
    statedH100e: 1_000,
    announcedOn: '2024-02-01',
  });
  const unknownGpu = record({
    companyName: 'Lab',
    acceleratorId: null,
    acceleratorKind: 'gpu',
    statedH100e: 500,
    announcedOn: '2024-02-01',
  });
  const tpu = record({ companyName: 'Anthropic', acceleratorId: 'TPU v7', quantity: 100, announcedOn: '2025-10-23' });

  it('gives each group a stable key and a label', () => {
    const [h100Chip, , , , tpuChip] = CHIPS;
    expect(seriesGroup(meta, h100Chip, 'company')).toEqual({ key: 'company-Meta', label: 'Meta' });
    expect(seriesGroup(meta, h100Chip, 'vendor')).toEqual({ key: 'Nvidia', label: 'Nvidia' });
    expect(seriesGroup(meta, h100Chip, 'accelerator')).toEqual({ key: 'H100 SXM', label: 'H100 SXM' });
    expect(seriesGroup(meta, h100Chip, 'kind')).toEqual({ key: 'gpu', label: 'GPU' });
    expect(seriesGroup(tpu, tpuChip, 'kind')).toEqual({ key: 'custom', label: 'Custom chip' });
    expect(seriesGroup(mtia, null, 'vendor')).toEqual({ key: 'custom', label: 'Unknown custom chip' });
    expect(seriesGroup(mtia, null, 'accelerator')).toEqual({ key: 'custom', label: 'Unknown custom chip' });
    expect(seriesGroup(mtia, null, 'kind')).toEqual({ key: 'custom', label: 'Custom chip' });
    expect(seriesGroup(unknownGpu, null, 'vendor')).toEqual({ key: 'gpu', label: 'Unknown GPU' });
  });

  it('sums by vendor, largest first, records with no chip under their own series', () => {
    const report = computeCapacity(ledger([meta, b200, mtia, unknownGpu, tpu]), query({ groupBy: 'vendor', basis: 'announced' }));
    expect(report.quarters).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    expect(report.series.map(({ key, label, total }) => ({ key, label, total }))).toEqual([
      { key: 'Nvidia', label: 'Nvidia', total: 350_000 + 10_000 * (2250 / 989) },
      { key: 'custom', label: 'Unknown custom chip', total: 1_000 },
      { key: 'gpu', label: 'Unknown GPU', total: 500 },
      { key: 'Google', label: 'Google', total: 100 * (2307 / 989) },
    ]);
    expect(report.series[0].values).toEqual([350_000, 0, 0, 0, 0, 0, 0, 10_000 * (2250 / 989)]);
  });

  it('sums by kind, records with no chip under the kind given', () => {
    const report = computeCapacity(
      ledger([meta, mtia, unknownGpu, tpu]),
      query({ groupBy: 'kind', basis: 'announced', from: '2024-Q1', to: '2024-Q1' }),
    );
    expect(report.series).toEqual([
      exact({ key: 'gpu', label: 'GPU', values: [350_000 + 500], total: 350_000 + 500 }),
      exact({ key: 'custom', label: 'Custom chip', values: [1_000], total: 1_000 }),
    ]);
  });

  it('puts vendors spelled in another case under one series', () => {
    const data = ledger([meta]);
    const chips = new Map(data.chips);
    chips.set('Other', { ...CHIPS[0], id: 'Other', name: 'Other', vendor: 'NVIDIA' });
    const other = record({ companyName: 'Lab', acceleratorId: 'Other', quantity: 10, announcedOn: '2024-03-01' });
    const report = computeCapacity({ ...data, chips, records: [meta, other] }, query({ groupBy: 'vendor', basis: 'announced' }));
    expect(report.series.map(({ key, values }) => ({ key, values }))).toEqual([{ key: 'NVIDIA', values: [350_000 + 10] }]);
  });

  it('breaks ties in the order by label', () => {
    const beta = record({ companyName: 'Beta', quantity: 100, announcedOn: '2024-05-01' });
    const alpha = record({ companyName: 'Alpha', quantity: 100, announcedOn: '2024-05-01' });
    const gamma = record({ companyName: 'Gamma', quantity: 300, announcedOn: '2024-05-01' });
    const report = computeCapacity(ledger([beta, gamma, alpha]), query());
    expect(report.series.map((series) => series.label)).toEqual(['Gamma', 'Alpha', 'Beta']);
  });

  it('folds everything after the top N series into one "Others" series', () => {
    const records = [
      record({ companyName: 'A', quantity: 400, announcedOn: '2024-01-01' }),
      record({ companyName: 'B', quantity: 300, announcedOn: '2024-04-01' }),
      record({ companyName: 'C', quantity: 200, announcedOn: '2024-01-01' }),
      record({ companyName: 'D', quantity: 100, announcedOn: '2024-04-01' }),
    ];
    const report = computeCapacity(ledger(records), query({ top: 2 }));
    expect(report.series).toEqual([
      exact({ key: 'company-A', label: 'A', values: [400, 0], total: 400 }),
      exact({ key: 'company-B', label: 'B', values: [0, 300], total: 300 }),
      exact({ key: 'others', label: 'Others', values: [200, 100], total: 200 + 100 }),
    ]);
    expect(report.total).toBe(1_000);
    expect(computeCapacity(ledger(records), query({ top: 4 })).series).toHaveLength(4);
    const cumulative = computeCapacity(ledger(records), query({ top: 1, cumulative: true }));
    expect(cumulative.series.map(({ label, values }) => ({ label, values }))).toEqual([
      { label: 'A', values: [400, 400] },
      { label: 'Others', values: [200, 300 + 200 + 100] },
    ]);
  });
});

describe('period and cumulative sums', () => {
  it('reports from..to only, and starts a cumulative sum from everything before from', () => {
    // Meta's 87,500 a quarter over 2024; from 2024-Q3, 2024-Q1 and 2024-Q2 are carried in.
    const plain = computeCapacity(ledger([meta]), query({ from: '2024-Q3' }));
    expect(plain.quarters).toEqual(['2024-Q3', '2024-Q4']);
    expect(plain.series[0].values).toEqual([87_500, 87_500]);
    expect(plain.total).toBe(87_500 * 2);
    const cumulative = computeCapacity(ledger([meta]), query({ from: '2024-Q3', cumulative: true }));
    expect(cumulative.series[0].values).toEqual([87_500 * 3, 350_000]);
    expect(cumulative.series[0].total).toBe(87_500 * 2);
    expect(cumulative.total).toBe(87_500 * 2);
  });

  it('keeps a cumulative sum flat in quarters after the last amount and carries a record ending before from', () => {
    const tesla = record({ companyName: 'Tesla', quantity: 50_000, announcedOn: '2025-01-29', deliveryBy: '2024-Q4' });
    const report = computeCapacity(ledger([meta, tesla]), query({ from: '2025-Q1', to: '2025-Q3', cumulative: true }));
    expect(report.quarters).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    expect(report.series).toEqual([
      exact({ key: 'company-Meta', label: 'Meta', values: [350_000, 350_000, 350_000], total: 0 }),
      exact({ key: 'company-Tesla', label: 'Tesla', values: [50_000, 50_000, 50_000], total: 0 }),
    ]);
    expect(report.total).toBe(0);
    // Not cumulative, nothing falls in that period: the quarters are listed, with no series.
    expect(computeCapacity(ledger([meta, tesla]), query({ from: '2025-Q1', to: '2025-Q3' }))).toEqual({
      quarters: ['2025-Q1', '2025-Q2', '2025-Q3'],
      series: [],
      total: 0,
      ...NO_RANGE,
      excluded: NO_EXCLUSIONS,
    });
  });

  it('leaves out what falls after to, also from cumulative sums', () => {
    const report = computeCapacity(ledger([meta]), query({ to: '2024-Q2', cumulative: true }));
    expect(report.quarters).toEqual(['2024-Q1', '2024-Q2']);
    expect(report.series[0].values).toEqual([87_500, 87_500 * 2]);
  });

  it('defaults the missing bound to the counted amounts, never past the given one', () => {
    expect(computeCapacity(ledger([meta]), query({ to: '2023-Q3' })).quarters).toEqual(['2023-Q3']);
    expect(computeCapacity(ledger([meta]), query({ from: '2025-Q2', cumulative: true })).quarters).toEqual(['2025-Q2']);
    expect(computeCapacity(ledger([meta]), query({ from: '2025-Q2', cumulative: true })).series[0].values).toEqual([350_000]);
  });

  it('answers with empty quarters and series when nothing is counted', () => {
    expect(computeCapacity(ledger([]), query({ from: '2024-Q1', to: '2024-Q4' }))).toEqual({
      quarters: [],
      series: [],
      total: 0,
      ...NO_RANGE,
      excluded: NO_EXCLUSIONS,
    });
  });

  it('adds shares exactly, whatever the order of the records', () => {
    const thirds = [1, 2, 3].map((index) =>
      record({ companyName: 'Lab', quantity: 100 * index, announcedOn: '2024-01-01', deliveryBy: '2024-Q3' }),
    );
    const forwards = computeCapacity(ledger(thirds), query({ metric: 'units' }));
    const backwards = computeCapacity(ledger([...thirds].reverse()), query({ metric: 'units' }));
    expect(forwards.series[0].values).toEqual([600 / 3, 600 / 3, 600 / 3]);
    expect(backwards).toEqual(forwards);
  });
});

describe('summary', () => {
  it('gives the total, companies and records counted, exclusions and the latest announcement in the period', () => {
    const xai = record({ companyName: 'xAI', quantity: 100_000, announcedOn: '2024-09-02' });
    const undisclosed = record({ companyName: 'Meta', announcedOn: '2024-02-01', deliveryBy: '2024-Q4' });
    const data = ledger([meta, xai, undisclosed]);
    expect(summarizeCapacity(data, query())).toEqual({
      total: 350_000 + 100_000,
      low: 350_000 + 100_000,
      high: 350_000 + 100_000,
      openAbove: 0,
      companies: 2,
      records: 2,
      excluded: { count: 1, reasons: { quantity_undisclosed: 1, chip_unknown: 0, chip_spec_missing: 0 } },
      latestAnnouncedOn: '2024-09-02',
    });
    expect(summarizeCapacity(data, query({ from: '2024-Q4' }))).toEqual({
      total: 87_500,
      low: 87_500,
      high: 87_500,
      openAbove: 0,
      companies: 1,
      records: 1,
      excluded: { count: 1, reasons: { quantity_undisclosed: 1, chip_unknown: 0, chip_spec_missing: 0 } },
      latestAnnouncedOn: '2024-01-18',
    });
    expect(summarizeCapacity(ledger([]), query())).toEqual({
      total: 0,
      ...NO_RANGE,
      companies: 0,
      records: 0,
      excluded: NO_EXCLUSIONS,
      latestAnnouncedOn: null,
    });
  });
});

describe('records that stand for several alike commitments (the rollup)', () => {
  it('counts a folded record as its commitments: same amounts, exclusions and records counted', () => {
    const one = record({ companyName: 'Lab', quantity: 1_000, announcedOn: '2024-04-10', deliveryBy: '2024-Q3' });
    const two = record({ companyName: 'Lab', quantity: 3_000, announcedOn: '2024-05-20', deliveryBy: '2024-Q3' });
    const hidden = record({ companyName: 'Lab', announcedOn: '2024-06-01', deliveryBy: '2024-Q3' });
    const hiddenToo = record({ companyName: 'Lab', announcedOn: '2024-04-02', deliveryBy: '2024-Q3' });
    const separate = ledger([one, two, hidden, hiddenToo]);
    const folded = ledger([
      { ...two, id: 'amounts', quantity: 4_000, commitmentsStarting: 2, commitmentsEnding: 2 },
      { ...hidden, id: 'undisclosed', commitmentsStarting: 2, commitmentsEnding: 2 },
    ]);

    const report = computeCapacity(folded, query());
    expect(report).toEqual(computeCapacity(separate, query()));
    // 4,000 H100 over 2024-Q2 and 2024-Q3; the two undisclosed records are left out.
    expect(report.series[0].values).toEqual([2_000, 2_000]);
    expect(report.excluded).toEqual({ count: 2, reasons: { quantity_undisclosed: 2, chip_unknown: 0, chip_spec_missing: 0 } });
    expect(summarizeCapacity(folded, { metric: 'units', precision: 'bf16', basis: 'delivery' })).toEqual({
      total: 4_000,
      low: 4_000,
      high: 4_000,
      openAbove: 0,
      companies: 1,
      records: 2,
      excluded: { count: 2, reasons: { quantity_undisclosed: 2, chip_unknown: 0, chip_spec_missing: 0 } },
      latestAnnouncedOn: '2024-05-20',
    });
  });

  it('takes the window a record gives for the basis asked (the rollup reads them) instead of deriving it from the terms', () => {
    const stated = record({ companyName: 'Lab', quantity: 4_000, announcedOn: '2024-04-10', deliveryBy: '2024-Q3' });
    const windowed = {
      ...stated,
      deliveryFrom: null,
      deliveryBy: null,
      announcedOn: '2024-05-01',
      window: { first: 2024 * 4 + 1, last: 2024 * 4 + 2 },
    };
    expect(computeCapacity(ledger([windowed]), query())).toEqual(computeCapacity(ledger([stated]), query()));
  });

  /** A record as the rollup keeps it: one record per quarter of its window on a basis, holding what falls there. */
  function quarterSlices(whole: CapacityRecord, basis: 'delivery' | 'announced'): CapacityRecord[] {
    const window = basisWindow(whole, basis);
    const length = window.last - window.first + 1;
    const share = (value: number | null) => (value === null ? null : value / length);
    return Array.from({ length }, (_, offset) => ({
      ...whole,
      quantity: share(whole.quantity),
      statedH100e: share(whole.statedH100e),
      statedPowerMw: share(whole.statedPowerMw),
      window: { first: window.first + offset, last: window.first + offset },
      commitmentsStarting: offset === 0 ? 1 : 0,
      commitmentsEnding: offset === length - 1 ? 1 : 0,
    }));
  }

  it('counts records split by quarter as the records themselves: amounts, exclusions, records counted, latest announcement', () => {
    const records = [
      meta,
      record({
        companyName: 'Lab',
        acceleratorId: 'B200',
        quantity: 3_000,
        announcedOn: '2024-04-10',
        deliveryFrom: '2024-Q3',
        deliveryBy: '2025-Q2',
      }),
      record({ companyName: 'Lab', acceleratorId: 'GB300', quantity: 700, announcedOn: '2024-08-01', deliveryBy: '2025-Q1' }),
      record({ companyName: 'Lab', acceleratorId: null, quantity: 50, announcedOn: '2025-03-01', deliveryBy: '2025-Q4' }),
      record({ companyName: 'Cloud', announcedOn: '2024-02-14', deliveryBy: '2025-Q3' }),
      record({
        companyName: 'Cloud',
        acceleratorId: 'MI300X',
        statedH100e: 9_000,
        statedPowerMw: 12,
        announcedOn: '2024-11-05',
        deliveryBy: '2025-Q3',
      }),
      record({
        companyName: 'Cloud',
        acceleratorId: 'TPU v7',
        quantity: 10_000,
        announcedOn: '2025-06-30',
        deliveryBy: '2026-Q1',
        status: 'confirmed',
      }),
    ];
    const periods = [{}, { from: '2024-Q3' }, { to: '2024-Q4' }, { from: '2025-Q1', to: '2025-Q2' }, { from: '2025-Q3', to: '2025-Q3' }];
    for (const basis of ['delivery', 'announced'] as const) {
      const sliced = ledger(records.flatMap((whole) => quarterSlices(whole, basis)));
      for (const metric of ['units', 'h100e', 'power_mw'] as const)
        for (const period of periods)
          for (const cumulative of [false, true]) {
            const measure = { metric, precision: 'bf16' as const, basis, ...period };
            const context = JSON.stringify({ ...measure, cumulative });
            const expected = computeCapacity(ledger(records), query({ ...measure, cumulative }));
            const actual = computeCapacity(sliced, query({ ...measure, cumulative }));
            expect(actual.quarters, context).toEqual(expected.quarters);
            expect(actual.excluded, context).toEqual(expected.excluded);
            expect(
              actual.series.map(({ key }) => key),
              context,
            ).toEqual(expected.series.map(({ key }) => key));
            actual.series.forEach((series, index) =>
              series.values.forEach((value, quarter) => expect(value, context).toBeCloseTo(expected.series[index].values[quarter], 9)),
            );
            const { total, low, high, ...summary } = summarizeCapacity(sliced, measure);
            const {
              total: expectedTotal,
              low: expectedLow,
              high: expectedHigh,
              ...expectedSummary
            } = summarizeCapacity(ledger(records), measure);
            expect(summary, context).toEqual(expectedSummary);
            expect(total, context).toBeCloseTo(expectedTotal, 9);
            expect(low, context).toBeCloseTo(expectedLow, 9);
            expect(high, context).toBeCloseTo(expectedHigh, 9);
          }
    }
  });
});
