import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { h100eFactor } from '../metrics.js';
import {
  type CatalogChipName,
  type CatalogChipState,
  type CatalogSpecs,
  catalogChanges,
  type EpochHardwareChip,
  kindOfHardware,
  planEpochCatalog,
  readEpochHardwareRow,
  SPEC_FIELDS,
  spellingsOf,
  vendorOf,
  withoutManufacturer,
} from './hardware.js';

const projectFile = (path: string) => new URL(`../../../${path}`, import.meta.url);
const hardwareRows: Record<string, string>[] = parse(readFileSync(projectFile('test/fixtures/epoch/ml_hardware.csv')), {
  columns: true,
  bom: true,
});

/** Every row of Epoch's list, read, with the line it starts on (the list has quoted line breaks in its notes). */
function epochChips(): { line: number; chip: EpochHardwareChip }[] {
  const records: { record: Record<string, string>; info: { lines: number } }[] = parse(
    readFileSync(projectFile('test/fixtures/epoch/ml_hardware.csv')),
    { columns: true, bom: true, info: true },
  );
  return records.map(({ record, info }) => {
    const read = readEpochHardwareRow(record);
    if (!('chip' in read)) throw new Error(`line ${info.lines}: ${JSON.stringify(read.problems)}`);
    return { line: info.lines, chip: read.chip };
  });
}

interface SeedChip extends CatalogChipName, CatalogChipState {}

/** The demo catalog of src/seed/accelerators.csv, with made-up ids. */
function seedCatalog(): SeedChip[] {
  const rows: Record<string, string>[] = parse(readFileSync(projectFile('src/seed/accelerators.csv')), { columns: true });
  const number = (text: string) => (text === '' ? null : Number(text));
  return rows.map((row, index) => ({
    id: `seed-${index + 1}`,
    name: row.name,
    vendor: row.vendor,
    aliases: row.aliases.split('|').filter(Boolean),
    denseFp32Tflops: number(row.dense_fp32_tflops),
    denseBf16Tflops: number(row.dense_bf16_tflops),
    denseFp8Tflops: number(row.dense_fp8_tflops),
    denseInt8Tops: number(row.dense_int8_tops),
    memoryGb: number(row.memory_gb),
    tdpWatts: number(row.tdp_watts),
    releaseYear: number(row.released),
    releasePriceUsd: number(row.release_price_usd),
  }));
}

/** The catalog after a plan is carried out, as the import service writes it. */
function applyPlan(catalog: SeedChip[], plan: ReturnType<typeof planEpochCatalog>): SeedChip[] {
  const next = catalog.map((chip) => ({ ...chip }));
  for (const action of plan.actions) {
    if (action.matchedId !== undefined) {
      const chip = next.find((item) => item.id === action.matchedId)!;
      Object.assign(chip, catalogChanges(chip, action.chip));
    } else {
      const aliases = action.create.name === action.chip.epochName ? [] : [action.chip.epochName];
      next.push({ id: `new-${action.line}`, ...action.create, aliases, ...action.chip.specs });
    }
  }
  return next;
}

const specs = (values: Partial<CatalogSpecs>): CatalogSpecs => ({
  ...(Object.fromEntries(SPEC_FIELDS.map((field) => [field, null])) as unknown as CatalogSpecs),
  ...values,
});

describe("reading a row of Epoch's hardware list", () => {
  it('reads every one of the 170 rows', () => {
    expect(hardwareRows).toHaveLength(170);
    expect(epochChips()).toHaveLength(170);
  });

  it('converts the H100 SXM5 80GB: FLOP/s ÷ 10¹², bytes ÷ 10⁹, the year of the release date, the price', () => {
    const h100 = hardwareRows.find((row) => row['Hardware name'] === 'NVIDIA H100 SXM5 80GB')!;
    expect(readEpochHardwareRow(h100)).toEqual({
      chip: {
        epochName: 'NVIDIA H100 SXM5 80GB',
        manufacturer: 'NVIDIA',
        kind: 'gpu',
        // 66,910,000,000,000 FLOP/s; 989,400,000,000,000; no FP8 figure; 1,979,000,000,000,000 OP/s; 80,000,000,000 bytes.
        specs: specs({
          denseFp32Tflops: 66.91,
          denseBf16Tflops: 989.4,
          denseInt8Tops: 1979,
          memoryGb: 80,
          tdpWatts: 700,
          releaseYear: 2022,
          releasePriceUsd: 33_600,
        }),
      },
    });
  });

  it('leaves blank and 0 figures unknown, and reads a row that gives nothing but a name', () => {
    const row = { 'Hardware name': 'Sample NPU', 'Tensor-FP16/BF16 performance (FLOP/s)': '0.0', 'TDP (W)': '' };
    expect(readEpochHardwareRow(row)).toEqual({ chip: { epochName: 'Sample NPU', manufacturer: null, kind: 'gpu', specs: specs({}) } });
  });

  it('names the column of a figure that is not a number, or a date that is not a date', () => {
    const row = { 'Hardware name': 'Sample NPU', 'TDP (W)': 'about 300', 'Release date': 'spring', 'FP8 performance (FLOP/s)': '-1' };
    expect(readEpochHardwareRow(row)).toEqual({
      problems: [
        { field: 'FP8 performance (FLOP/s)', message: 'must be a number, 0 or more', value: '-1' },
        { field: 'TDP (W)', message: 'must be a number, 0 or more', value: 'about 300' },
        { field: 'Release date', message: 'must be a date (YYYY-MM-DD) or a year', value: 'spring' },
      ],
    });
    expect(readEpochHardwareRow({ 'Hardware name': ' ' })).toEqual({
      problems: [{ field: 'Hardware name', message: 'the chip has no name' }],
    });
  });

  it('takes custom silicon by family whatever Epoch calls it, else by its Type', () => {
    expect(kindOfHardware('Amazon Trainium3', 'GPU')).toBe('custom');
    expect(kindOfHardware('Maia 100 (M100)', 'GPU')).toBe('custom');
    expect(kindOfHardware('Tesla D1 Dojo', 'GPU')).toBe('custom');
    expect(kindOfHardware('AWS Inferentia2', null)).toBe('custom');
    expect(kindOfHardware('Huawei Ascend 920', 'NPU')).toBe('custom');
    expect(kindOfHardware('MetaX MXC500 (OAM)', 'GPGPU')).toBe('gpu');
    expect(kindOfHardware('Shensuan-1', 'DCU (GPGPU)')).toBe('gpu');
    expect(kindOfHardware('Intel Habana Gaudi2', null)).toBe('gpu');
  });

  it("gives the factor of Epoch's Max performance column but for the chips listed, and says why", () => {
    const differing = new Map<string, [number | null, number]>();
    for (const row of hardwareRows) {
      const read = readEpochHardwareRow(row);
      if (!('chip' in read)) continue;
      const ours = h100eFactor(read.chip.specs, 'max');
      const epoch = Number(row['Max performance']) / 1e12 / 1979;
      if (ours === null ? epoch !== 0 : Math.abs(ours - epoch) > 1e-9 * epoch) differing.set(row['Hardware name'], [ours, epoch]);
    }
    expect([...differing.keys()].sort()).toEqual(
      [
        // Epoch's Max performance leaves out the FP8 (or INT8) rate the list gives.
        'Amazon Trainium2', // BF16 667, not FP8 1,299
        'Amazon Trainium3', // BF16 671, not FP8 2,517
        'Intel Habana Gaudi2', // BF16 450, not FP8 865
        'NVIDIA RTX 6000 Ada Generation', // FP16 91.06, not FP8 729
        // It takes a rate the four columns do not hold: FP4, or sparse (twice the dense rate).
        'NVIDIA B200', // 9,000 = FP4
        'NVIDIA GB300 (Blackwell Ultra)', // 15,000 = FP4
        'NVIDIA B300 (Blackwell Ultra)', // 13,500
        'AMD Instinct MI350X', // 9,227.5 = 2 × INT8 4,614
        'AMD Instinct MI355X', // 10,066.3 = 2 × INT8 5,033.2
        'NVIDIA L4', // 484 = 2 × INT8 242
        'Cambricon MLU270-F4', // 256 = 2 × INT8 128
        'Cambricon MLU270-S4',
        'MT-3000', // 12.87 with no rate in the four columns
        // It has no figure (0) where the list gives an FP8 rate.
        'Huawei Ascend 950DT',
        'Huawei Ascend 960',
        'Huawei Ascend 970',
      ].sort(),
    );
    // Spot checks of the others, by hand: the FP16 rate stands in where there is no tensor figure.
    const factor = (name: string) => {
      const read = readEpochHardwareRow(hardwareRows.find((row) => row['Hardware name'] === name)!);
      return 'chip' in read ? h100eFactor(read.chip.specs, 'max') : undefined;
    };
    expect(factor('Huawei Ascend 910B')).toBe(376 / 1979);
    expect(factor('NVIDIA H100 NVL')).toBe(835.5 / 1979);
    expect(factor('NVIDIA GB200')).toBe(5000 / 1979);
    expect(factor('Google TPU v4')).toBe(275 / 1979);
  });
});

describe('matching rules', () => {
  it("drops the manufacturer's words in front, and Intel's brand Habana", () => {
    expect(withoutManufacturer('NVIDIA H100 SXM5 80GB', 'NVIDIA')).toBe('H100 SXM5 80GB');
    expect(withoutManufacturer('Amazon Trainium2', 'Amazon AWS')).toBe('Trainium2');
    expect(withoutManufacturer('AWS Inferentia2', 'Amazon AWS')).toBe('Inferentia2');
    expect(withoutManufacturer('Intel Habana Gaudi3', 'Intel')).toBe('Gaudi3');
    expect(withoutManufacturer('Baidu Kunlun II', 'Kunlunxin Baidu')).toBe('Kunlun II');
    expect(withoutManufacturer('Maia 100 (M100)', 'Microsoft')).toBe('Maia 100 (M100)');
    expect(withoutManufacturer('NVIDIA', 'NVIDIA')).toBe('NVIDIA');
  });

  it('tries the name without a note in brackets, without the memory size and with SXM of any generation', () => {
    expect(spellingsOf('H100 SXM5 80GB').sort()).toEqual(['H100 SXM 80GB', 'H100 SXM', 'H100 SXM5 80GB', 'H100 SXM5'].sort());
    expect(spellingsOf('A100 SXM4 80 GB')).toContain('A100 SXM');
    expect(spellingsOf('Maia 100 (M100)')).toEqual(['Maia 100 (M100)', 'Maia 100']);
  });

  it("spells a new chip's vendor as the catalog does", () => {
    expect(vendorOf('NVIDIA', ['Nvidia', 'AWS'])).toBe('Nvidia');
    expect(vendorOf('Amazon AWS', ['Nvidia', 'AWS'])).toBe('AWS');
    expect(vendorOf('Moore Threads (Tencent)', ['Nvidia'])).toBe('Moore Threads (Tencent)');
    expect(vendorOf(null, ['Nvidia'])).toBe('Unknown vendor');
  });

  const chip = (epochName: string, manufacturer: string, memoryGb: number | null = null): EpochHardwareChip => ({
    epochName,
    manufacturer,
    kind: 'gpu',
    specs: specs({ memoryGb }),
  });
  const catalogChip = (id: string, name: string, aliases: string[], memoryGb: number | null = null): CatalogChipName => ({
    id,
    name,
    vendor: 'Nvidia',
    aliases,
    memoryGb,
  });

  it("prefers a match on the chip's name to one on an alias, and then the row whose memory agrees", () => {
    const catalog = [catalogChip('a100', 'A100 SXM', ['A100'], 80)];
    const plan = planEpochCatalog(
      [
        { line: 2, chip: chip('NVIDIA A100', 'NVIDIA', 40) },
        { line: 3, chip: chip('NVIDIA A100 SXM4 40 GB', 'NVIDIA', 40) },
        { line: 4, chip: chip('NVIDIA A100 SXM4 80 GB', 'NVIDIA', 80) },
      ],
      catalog,
    );
    expect(plan.actions.map((action) => action.matchedId ?? action.create.name)).toEqual([
      // "A100" is the alias of another chip: the new chip keeps Epoch's full name.
      'NVIDIA A100',
      'A100 SXM4 40 GB',
      'a100',
    ]);
  });

  it('matches a name made of two names of one chip, and leaves the weaker claim to create its own chip', () => {
    const catalog = [catalogChip('gb300', 'GB300', ['Blackwell Ultra', 'B300']), catalogChip('v6e', 'TPU v6e', ['Trillium'])];
    const plan = planEpochCatalog(
      [
        { line: 2, chip: chip('NVIDIA B300 (Blackwell Ultra)', 'NVIDIA') },
        { line: 3, chip: chip('NVIDIA GB300 (Blackwell Ultra)', 'NVIDIA') },
        { line: 4, chip: chip('Google TPU v6e Trillium', 'Google') },
      ],
      catalog,
    );
    expect(plan.actions.map((action) => action.matchedId ?? action.create.name)).toEqual(['B300 (Blackwell Ultra)', 'gb300', 'v6e']);
  });

  it('reports a chip named twice in the file', () => {
    const plan = planEpochCatalog(
      [
        { line: 2, chip: chip('NVIDIA L4', 'NVIDIA') },
        { line: 5, chip: chip('nvidia  L4', 'NVIDIA') },
      ],
      [],
    );
    expect(plan.actions).toHaveLength(1);
    expect(plan.problems).toEqual([
      { line: 5, field: 'Hardware name', message: 'the file names this chip twice (line 2 too)', value: 'nvidia  L4' },
    ]);
  });

  it('matches each chip to one row at most, and gives each row one action', () => {
    const word = fc.constantFrom('H100', 'SXM5', 'A100', '80GB', 'NVIDIA', '(Ultra)', 'Ultra', 'v6e', 'TPU', 'Max');
    const name = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 8, selector: (text) => text.toLowerCase().replace(/[^a-z0-9]/g, '') }),
        fc.array(fc.tuple(name, fc.array(name, { maxLength: 3 })), { maxLength: 6 }),
        (epochNames, chips) => {
          const catalog = chips.map(([chipName, aliases], index) => catalogChip(`c${index}`, `${chipName} #${index}`, aliases));
          const plan = planEpochCatalog(
            epochNames.map((epochName, index) => ({ line: index + 2, chip: chip(epochName, 'NVIDIA') })),
            catalog,
          );
          const matched = plan.actions.flatMap((action) => (action.matchedId ? [action.matchedId] : []));
          return new Set(matched).size === matched.length && plan.actions.length + plan.problems.length === epochNames.length;
        },
      ),
    );
  });
});

describe("Epoch's whole list against the demo catalog", () => {
  it('matches the demo chips, each to the Epoch row of the same chip, and duplicates none', () => {
    const catalog = seedCatalog();
    const plan = planEpochCatalog(epochChips(), catalog);
    const nameOf = new Map(catalog.map((chip) => [chip.id, chip.name]));
    const pairs = plan.actions.flatMap((action) => (action.matchedId ? [[nameOf.get(action.matchedId), action.chip.epochName]] : []));
    expect(new Map(pairs as [string, string][])).toEqual(
      new Map([
        ['TPU v7', 'Google TPU v7 Ironwood'],
        ['GB300', 'NVIDIA GB300 (Blackwell Ultra)'],
        ['MI355X', 'AMD Instinct MI355X'],
        ['GB200', 'NVIDIA GB200'],
        ['Trainium2', 'Amazon Trainium2'],
        ['H200', 'NVIDIA H200 SXM'],
        ['B200', 'NVIDIA B200'],
        ['MI325X', 'AMD Instinct MI325X'],
        ['Gaudi 3', 'Intel Habana Gaudi3'],
        ['Maia 100', 'Maia 100 (M100)'],
        ['TPU v6e', 'Google TPU v6e Trillium'],
        ['MTIA v2', 'Meta MTIA v2'],
        ['TPU v5p', 'Google TPU v5p'],
        ['MI300X', 'AMD Instinct MI300X'],
        ['TPU v5e', 'Google TPU v5e'],
        ['GH200', 'NVIDIA GH200'],
        ['H100 SXM', 'NVIDIA H100 SXM5 80GB'],
        ['A100 SXM', 'NVIDIA A100 SXM4 80 GB'],
      ]),
    );
    // MI450 is not in Epoch's list; the other 152 rows create chips, none of them named like a demo chip.
    expect(plan.actions.filter((action) => action.create)).toHaveLength(170 - 18);
    const demoNames = new Set(catalog.flatMap((chip) => [chip.name, ...chip.aliases]).map((name) => name.toLowerCase()));
    for (const action of plan.actions)
      if (action.create) expect(demoNames, action.create.name).not.toContain(action.create.name.toLowerCase());
    expect(plan.problems).toEqual([]);
  });

  it('changes nothing the second time: every row finds the chip the first import wrote, by its Epoch name', () => {
    const first = planEpochCatalog(epochChips(), seedCatalog());
    const after = applyPlan(seedCatalog(), first);
    expect(after).toHaveLength(19 + 152);
    const second = planEpochCatalog(epochChips(), after);
    expect(second.actions.filter((action) => action.create)).toEqual([]);
    const chipOfLine = (plan: ReturnType<typeof planEpochCatalog>, line: number) => {
      const action = plan.actions.find((item) => item.line === line)!;
      return action.matchedId ?? `new-${line}`;
    };
    for (const action of second.actions) {
      expect(action.matchedId, action.chip.epochName).toBe(chipOfLine(first, action.line));
      expect(
        catalogChanges(
          after.find((chip) => chip.id === action.matchedId)!,
          action.chip,
        ),
        action.chip.epochName,
      ).toEqual({});
    }
  });

  it("updates the demo H100 SXM with Epoch's figures, keeps what Epoch leaves blank, and adds Epoch's name as an alias", () => {
    const catalog = seedCatalog();
    const h100 = catalog.find((chip) => chip.name === 'H100 SXM')!;
    const row = epochChips().find(({ chip }) => chip.epochName === 'NVIDIA H100 SXM5 80GB')!;
    expect(catalogChanges(h100, row.chip)).toEqual({
      denseFp32Tflops: 66.91,
      denseBf16Tflops: 989.4,
      denseInt8Tops: 1979,
      releasePriceUsd: 33_600,
      aliases: ['H100', 'H100 SXM5', 'Hopper H100', 'NVIDIA H100 SXM5 80GB'],
    });
    // The H200 row has no memory figure: the catalog's 141 GB stays.
    const h200 = catalog.find((chip) => chip.name === 'H200')!;
    const h200Row = epochChips().find(({ chip }) => chip.epochName === 'NVIDIA H200 SXM')!;
    expect(catalogChanges(h200, h200Row.chip)).not.toHaveProperty('memoryGb');
  });
});
