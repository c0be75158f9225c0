// Times the capacity arithmetic (src/domain/capacity.ts) over synthetic ledgers and prints the figures.
// Run: npm run build:server && node bench/capacity.mjs [records...]   (default: 10000 100000)
import { performance } from 'node:perf_hooks';
import { computeCapacity, summarizeCapacity } from '../dist/src/domain/capacity.js';

const CHIPS = [
  { id: 'h100', name: 'H100 SXM', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: 989, denseFp8Tflops: 1979, tdpWatts: 700 },
  { id: 'gb200', name: 'GB200', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: 2500, denseFp8Tflops: 5000, tdpWatts: 1200 },
  { id: 'mi300x', name: 'MI300X', vendor: 'AMD', kind: 'gpu', denseBf16Tflops: 1307, denseFp8Tflops: 2615, tdpWatts: 750 },
  { id: 'tpu', name: 'TPU v7', vendor: 'Google', kind: 'custom', denseBf16Tflops: 2307, denseFp8Tflops: 4614, tdpWatts: null },
  { id: 'gb300', name: 'GB300', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: null, denseFp8Tflops: null, tdpWatts: null },
];
const STATUSES = ['announced', 'announced', 'confirmed', 'delivered', 'rumored', 'cancelled'];

/** A deterministic pseudo-random sequence (mulberry32), so every run measures the same ledger. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ledger(size, companies = 300) {
  const next = random(size);
  const records = [];
  const revisions = [];
  for (let index = 0; index < size; index++) {
    const chip = next() < 0.05 ? null : CHIPS[Math.floor(next() * CHIPS.length)];
    const year = 2023 + Math.floor(next() * 4);
    const firstQuarter = 1 + Math.floor(next() * 4);
    const span = Math.floor(next() * 8);
    const last = year * 4 + firstQuarter - 1 + span;
    const company = Math.floor(next() * companies);
    records.push({
      id: `r${index}`,
      companyId: `c${company}`,
      companyName: `Company ${company}`,
      acceleratorId: chip ? chip.id : null,
      acceleratorKind: chip ? chip.kind : 'gpu',
      quantity: next() < 0.1 ? null : 1000 + Math.floor(next() * 100_000),
      statedH100e: null,
      statedPowerMw: next() < 0.02 ? 500 : null,
      announcedOn: `${year}-${String(firstQuarter * 3 - 2).padStart(2, '0')}-15`,
      deliveryFrom: `${year}-Q${firstQuarter}`,
      deliveryBy: `${Math.floor(last / 4)}-Q${(last % 4) + 1}`,
      status: STATUSES[Math.floor(next() * STATUSES.length)],
    });
    if (index > 0 && next() < 0.05) revisions.push({ id: `r${index}`, supersedesId: `r${index - 1}`, deleted: false });
  }
  return { records, chips: new Map(CHIPS.map((chip) => [chip.id, chip])), revisions };
}

/** The median time of a run, after a few runs to let the JIT compile it. */
function median(run, times = 7) {
  for (let index = 0; index < 3; index++) run();
  const samples = [];
  for (let index = 0; index < times; index++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(times / 2)];
}

const sizes = process.argv.slice(2).map(Number);
for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
  const data = ledger(size);
  const base = { metric: 'h100e', precision: 'bf16', basis: 'delivery' };
  const report = computeCapacity(data, { ...base, groupBy: 'company', cumulative: false });
  console.log(`${size} records, 300 companies: ${report.series.length} series × ${report.quarters.length} quarters`);
  for (const groupBy of ['company', 'vendor', 'accelerator', 'kind']) {
    for (const cumulative of [false, true]) {
      const ms = median(() => computeCapacity(data, { ...base, groupBy, cumulative }));
      console.log(`  computeCapacity groupBy=${groupBy.padEnd(11)} cumulative=${String(cumulative).padEnd(5)} ${ms.toFixed(1)} ms`);
    }
  }
  console.log(`  summarizeCapacity                                  ${median(() => summarizeCapacity(data, base)).toFixed(1)} ms`);
  console.log(`  JSON of the company report: ${(JSON.stringify(report).length / 1024).toFixed(0)} KB`);
}
