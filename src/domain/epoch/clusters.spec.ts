import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../common/csv-table.js';
import { h100eFactor } from '../metrics.js';
import {
  type ChipLookup,
  type ClusterChip,
  type ClusterCommitmentDraft,
  type ClusterRowInput,
  companyOf,
  datesOf,
  mapEpochClusterFile,
  mapEpochClusterRow,
} from './clusters.js';
import { readEpochHardwareRow } from './hardware.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/epoch/${name}`, import.meta.url), 'utf8');
const PUBLISHED_ON = '2025-12-10';

/** The catalog after importing Epoch's hardware list on an empty one: each chip under Epoch's name, its specs Epoch's. */
function hardwareCatalog(): Map<string, ClusterChip> {
  const chips = new Map<string, ClusterChip>();
  for (const { cells } of readCsvTable(fixture('ml_hardware.csv')).rows) {
    const read = readEpochHardwareRow(cells);
    if ('chip' in read) {
      const { epochName, kind, specs } = read.chip;
      chips.set(epochName.toLowerCase(), { id: epochName, name: epochName, kind, ...specs });
    }
  }
  return chips;
}
const catalog = hardwareCatalog();
const lookup: ChipLookup = (name) => catalog.get(name.toLowerCase()) ?? null;

const sample = readCsvTable(fixture('gpu_clusters_sample.csv'));
const mapped = mapEpochClusterFile(sample.rows, { publishedOn: PUBLISHED_ON, chips: lookup });
const draftOf = (key: string) => mapped.drafts.find((draft) => draft.key === key)!;
const rowNamed = (name: string) => sample.rows.find((row) => row.cells.Name === name)!;
/** Epoch's H100 equivalents of the row on a line; NaN where blank. */
const epochH100eAt = (line: number) => Number(sample.rows.find((row) => row.line === line)!.cells['H100 equivalents'] || NaN);

/** A draft's H100e at precision max: Epoch's figure where stated, else quantity × the chip's highest rate ÷ 1,979. */
function h100eOf(draft: ClusterCommitmentDraft): number | null {
  if (draft.statedH100e !== null) return draft.statedH100e;
  const chip = draft.acceleratorId === null ? null : catalog.get(draft.acceleratorId.toLowerCase())!;
  const factor = chip ? h100eFactor(chip, 'max') : null;
  return draft.quantity !== null && factor !== null ? draft.quantity * factor : null;
}

describe("the sample of Epoch AI's GPU Clusters file", () => {
  it('maps every row, one record per chip type, each under a key of its own', () => {
    expect(sample.rows).toHaveLength(72);
    expect(mapped.errors).toEqual([]);
    expect(mapped.rows).toHaveLength(72);
    // Eleven rows name a secondary chip type: Colossus 2 Phase 2, Colossus Phases 2 and 3, FPT, Perlmutter, Snellius 3,
    // ABCI 2.0, Lassen 2, Jean Zay 3, Eni HPC4 Phase 2 and TACC Frontera.
    expect(mapped.drafts).toHaveLength(72 + 11);
    expect(new Set(mapped.drafts.map((draft) => draft.key)).size).toBe(83);
  });

  it('warns of three things only: a chip no list has, a record left counted, a successor not in the sample', () => {
    expect(mapped.warnings.map(({ field, value }) => [field, value])).toEqual([
      ['Superseded by', 'Meta Research SuperCluster (RSC-1) Phase 2'],
      ['Superseded by', 'AIST ABCI 3.0'],
      ['Chip type (secondary)', 'Cerebras CS-1'],
    ]);
  });

  it("gives Epoch's H100 equivalents, where Epoch computes them from chips, as quantity × the highest rate ÷ 1,979", () => {
    const differing: string[] = [];
    let compared = 0;
    for (const row of mapped.rows) {
      const epoch = epochH100eAt(row.line);
      const fromChips = row.drafts.every((draft) => draft.statedH100e === null);
      if (!fromChips || Number.isNaN(epoch)) continue;
      compared++;
      const ours = row.drafts.reduce((sum, draft) => sum + h100eOf(draft)!, 0);
      if (Math.abs(ours - epoch) > 0.005 * epoch) differing.push(row.name);
    }
    // 65 rows give a figure; 14 of them have records that cannot give it (Meta's campus, Dojo's second phase and twelve
    // anonymised systems), so Epoch's own figure stands there.
    expect(compared).toBe(65 - 14);
    expect(differing.sort()).toEqual(
      [
        // Epoch counts the GB300 at its INT8 figure (165 TOP/s), not its FP8 one (5,000): 852,097 H100e, not 1,389,591.
        'xAI Colossus 2 Memphis Phase 2',
        // Epoch's Trainium2 figure leaves out its FP8 rate: 400,000 × 667 ÷ 1,979, not × 1,299.
        'Project Rainier',
        // Epoch counts the primary chips only, leaving out the V100s these rows carry over from an earlier phase.
        'AIST ABCI 2.0',
        'Jean Zay Supercomputer Phase 3',
        'Eni HPC4 Phase 2',
      ].sort(),
    );
  });

  it("adds up to Epoch's figure in every other row, Epoch's own figure standing where the chips cannot give it", () => {
    const off = mapped.rows.flatMap((row) => {
      const epoch = epochH100eAt(row.line);
      if (Number.isNaN(epoch) || row.drafts.every((draft) => draft.statedH100e === null)) return [];
      const ours = row.drafts.reduce((sum, draft) => sum + (h100eOf(draft) ?? 0), 0);
      return Math.abs(ours - epoch) > 0.005 * epoch ? [row.name] : [];
    });
    expect(off).toEqual([]);
  });

  it('maps a two-chip row of known chips in full', () => {
    const quote =
      'This weekend, the \n@xAI\n team brought our Colossus 100k H100 training cluster online.... Moreover, it will double in size to 200k (50k H200s) in a few months.';
    const shared = {
      companyName: 'xAI',
      hostCompanyName: null,
      quantityQualifier: 'exact',
      statedH100e: null,
      // 280.28 MW is Epoch's site figure; the chips' TDP gives power here.
      statedPowerMw: null,
      announcedOn: '2025-02-18',
      deliveryFrom: '2025-Q1',
      deliveryBy: '2025-Q1',
      status: 'delivered',
      certainty: 'likely',
      siteCountry: 'US',
      sources: [
        { url: 'https://archive.ph/z39uN', title: null, publisher: 'archive.ph', publishedOn: null, language: null, quote },
        {
          url: 'https://web.archive.org/web/20241217184541/https://memphischamber.com/economic-development/xai/',
          title: null,
          publisher: 'memphischamber.com',
          publishedOn: null,
          language: null,
          quote: null,
        },
        {
          url: 'https://www.youtube.com/watch?v=AUAJ82H12qs&t=260s',
          title: null,
          publisher: 'youtube.com',
          publishedOn: null,
          language: null,
          quote: null,
        },
      ],
      notes:
        'From Epoch AI, "Data on GPU Clusters", epoch.ai/data/gpu-clusters (CC BY 4.0), row "xAI Colossus Memphis Phase 2".\n\n' +
        'GPU types is from a tweet. Unclear exactly when it was first operational. It was confirmed to be operational Feb 17, 2025, but some evidence suggests that it was operational by December 4th, 2024',
    };
    expect(draftOf('epoch:xAI Colossus Memphis Phase 2')).toEqual({
      ...shared,
      key: 'epoch:xAI Colossus Memphis Phase 2',
      acceleratorId: 'NVIDIA H100 SXM5 80GB',
      chipType: 'NVIDIA H100 SXM5 80GB',
      acceleratorKind: 'gpu',
      quantity: 150_000,
      supersedesKey: 'epoch:xAI Colossus Memphis Phase 1',
      partOfKey: null,
    });
    expect(draftOf('epoch:xAI Colossus Memphis Phase 2#2')).toEqual({
      ...shared,
      key: 'epoch:xAI Colossus Memphis Phase 2#2',
      acceleratorId: 'NVIDIA H200 SXM',
      chipType: 'NVIDIA H200 SXM',
      acceleratorKind: 'gpu',
      quantity: 50_000,
      supersedesKey: null,
      partOfKey: null,
    });
  });

  it('states Epoch’s figures for a planned campus with no chips, dated by its note', () => {
    expect(draftOf('epoch:Meta $200B Campus Rumor')).toMatchObject({
      companyName: 'Meta AI',
      acceleratorId: null,
      chipType: null,
      acceleratorKind: 'gpu',
      quantity: null,
      quantityQualifier: null,
      statedH100e: 20_262_758.969474595,
      statedPowerMw: 5000,
      // "Planned 2030", announced on the file's date.
      announcedOn: PUBLISHED_ON,
      deliveryFrom: '2030-Q1',
      deliveryBy: '2030-Q4',
      status: 'announced',
      certainty: 'speculative',
      siteCountry: 'US',
      sources: [
        {
          url: 'https://web.archive.org/web/20250226194100/https://finance.yahoo.com/news/meta-weighs-200b-ai-data-134016347.html',
          title: null,
          publisher: 'finance.yahoo.com',
          publishedOn: null,
          language: null,
          quote: '"could cost over $200 billion"',
        },
      ],
    });
    // Homer City: no owner, no user, no chips, no sources; 4,500 MW of power and the data set as its source.
    expect(draftOf('epoch:Homer City Energy Campus')).toMatchObject({
      companyName: 'Undisclosed owner',
      statedH100e: null,
      statedPowerMw: 4500,
      announcedOn: PUBLISHED_ON,
      deliveryFrom: null,
      deliveryBy: null,
      sources: [
        {
          url: 'https://epoch.ai/data/gpu-clusters',
          title: 'Data on GPU Clusters',
          publisher: 'Epoch AI',
          publishedOn: PUBLISHED_ON,
          language: 'en',
          quote: expect.stringMatching(/^aim to convert the Homer City Generating Station/),
        },
      ],
    });
  });

  it("states Epoch's figure for a known chip of unknown quantity, and keeps a custom family custom", () => {
    expect(draftOf('epoch:Tesla Dojo 1 Planned Phase 2')).toMatchObject({
      acceleratorId: 'Tesla D1 Dojo',
      acceleratorKind: 'custom',
      quantity: null,
      statedH100e: 8000.000000117801,
    });
  });

  it('leaves the secondary record without a figure where Epoch counts nothing for it', () => {
    // FPT: 3,000 H100 are Epoch's 3,000 H100e; the H200s have no quantity and no share of it.
    expect(draftOf('epoch:FPT AI Factory Vietnam')).toMatchObject({ quantity: 3000, statedH100e: null, siteCountry: 'VN' });
    expect(draftOf('epoch:FPT AI Factory Vietnam#2')).toMatchObject({
      acceleratorId: 'NVIDIA H200 SXM',
      quantity: null,
      statedH100e: null,
    });
    expect(draftOf('epoch:FPT AI Factory Vietnam')).toMatchObject({ deliveryFrom: '2025-Q1', deliveryBy: '2025-Q1' });
    // Lassen: the Cerebras CS-1 is in no list; Epoch's 200.10 are the 3,168 V100 (× 125 ÷ 1,979).
    expect(draftOf('epoch:Lawrence Livermore NL Lassen Phase 2#2')).toMatchObject({
      acceleratorId: null,
      chipType: 'Cerebras CS-1',
      acceleratorKind: 'gpu',
      quantity: 1,
      statedH100e: null,
    });
    expect(mapped.warnings).toContainEqual({
      line: rowNamed('Lawrence Livermore NL Lassen Phase 2').line,
      field: 'Chip type (secondary)',
      message: 'not in the chip catalog: the record has no chip',
      value: 'Cerebras CS-1',
    });
  });

  it('names the company from the owner, never a host; an anonymous row is an undisclosed owner', () => {
    // Project Rainier: owned by Amazon, used by Anthropic.
    expect(draftOf('epoch:Project Rainier')).toMatchObject({ companyName: 'Amazon', hostCompanyName: null });
    expect(draftOf('epoch:Project Ceiba Phase 1').companyName).toBe('Amazon');
    // IndiaAI: no owner, and "Cloud" is a kind of user, not a company.
    expect(draftOf('epoch:IndiaAI Mission Supercomputer')).toMatchObject({ companyName: 'Undisclosed owner', quantity: 10_000 });
    expect(draftOf('epoch:Anonymized Chinese System')).toMatchObject({ companyName: 'Undisclosed owner', siteCountry: 'CN' });
  });

  it('keys the rows of a repeated name by their order in the file', () => {
    const keys = mapped.drafts.map((draft) => draft.key).filter((key) => key.startsWith('epoch:Anonymized Chinese System'));
    expect(keys).toEqual([
      'epoch:Anonymized Chinese System',
      ...Array.from({ length: 13 }, (_, index) => `epoch:Anonymized Chinese System [${index + 2}]`),
    ]);
  });

  it('maps the status, the certainty and the country of every row', () => {
    expect(draftOf('epoch:Oak Ridge NL Summit')).toMatchObject({ status: 'cancelled', certainty: 'confirmed' });
    expect(draftOf('epoch:Naver DGX Superpod').siteCountry).toBe('KR');
    expect(draftOf('epoch:Alps Supercomputer Phase 2').siteCountry).toBe('CH');
    expect(draftOf('epoch:Paper on Movie Gen').siteCountry).toBeNull();
    const statuses = new Set(mapped.drafts.map((draft) => draft.status));
    expect([...statuses].sort()).toEqual(['announced', 'cancelled', 'delivered']);
    // Every named country is known.
    expect(mapped.warnings.filter((warning) => warning.field === 'Country')).toEqual([]);
  });

  it('links each row to the row that supersedes it, record by record', () => {
    const links = Object.fromEntries(
      mapped.drafts.flatMap((draft) => (draft.supersedesKey ? [[draft.key.slice(6), draft.supersedesKey.slice(6)]] : [])),
    );
    expect(links).toEqual({
      'xAI Colossus Memphis Phase 2': 'xAI Colossus Memphis Phase 1',
      'xAI Colossus Memphis Phase 3': 'xAI Colossus Memphis Phase 2',
      // GB200 in place of the H200: the second records pair.
      'xAI Colossus Memphis Phase 3#2': 'xAI Colossus Memphis Phase 2#2',
      'Alps Supercomputer Phase 2': 'Alps Supercomputer Phase 1',
      'Sesterce H100s Phase 2': 'Sesterce H100s Phase 1',
      'AIST ABCI 3.0': 'AIST ABCI 2.0',
      // ABCI 2.0 keeps ABCI 1.0's V100s as its second chip type: that record is the one that supersedes it.
      'AIST ABCI 2.0#2': 'AIST ABCI 1.0',
      'Lawrence Livermore NL Lassen Phase 2': 'Lawrence Livermore NL Lassen Phase 1',
      'Jean Zay Supercomputer Phase 3#2': 'Jean Zay Supercomputer Phase 2',
      'NSC Berzelius Phase 2': 'NSC Berzelius Phase 1',
      'SURF Snellius Phase 3': 'SURF Snellius Phase 1',
      'Eni HPC4 Phase 2': 'Eni HPC4 Phase 1',
    });
    const line = (name: string) => rowNamed(name).line;
    expect(mapped.warnings.filter((warning) => warning.field === 'Superseded by')).toEqual(
      [
        {
          line: line('AIST ABCI 2.0'),
          field: 'Superseded by',
          message: 'epoch:AIST ABCI 2.0#2 stays counted: AIST ABCI 3.0 has no record left to supersede it',
          value: 'AIST ABCI 3.0',
        },
        {
          line: line('Meta Research SuperCluster (RSC-1) Phase 1'),
          field: 'Superseded by',
          message: 'names no row of the file: not linked',
          value: 'Meta Research SuperCluster (RSC-1) Phase 2',
        },
      ].sort((a, b) => a.line - b.line),
    );
  });

  it('makes each "Possible Duplicate Of" row a part of the whole it names', () => {
    const parts = Object.fromEntries(
      mapped.drafts.flatMap((draft) => (draft.partOfKey ? [[draft.key.slice(6), draft.partOfKey.slice(6)]] : [])),
    );
    expect(parts).toEqual({
      'Paper on Movie Gen': 'Meta GenAI 2024a',
      'Paper on Gemma 2 27B': 'Google Hypercomputer TPU v5p pod',
      'Paper on Phi-3.5-Mini': 'Microsoft Azure Eagle',
      'Paper on HyperCLOVA': 'Naver DGX Superpod',
      'Paper on Gopher': 'Google MLPerf 0.7 Submission',
      'Paper on ViT-22B': 'Google Oklahoma TPU v4 Pods',
      'Paper on PaLI': 'Google Oklahoma TPU v4 Pods',
      'Paper on ViT': 'Google MLPerf 0.7 Submission',
      'Paper on SAM': 'Meta Research SuperCluster (RSC-1) Phase 1',
      'Paper on GShard': 'Google MLPerf 0.7 Submission',
    });
  });
});

/** A row in Epoch's columns, the cells not given left blank. */
const row = (line: number, cells: Record<string, string>): ClusterRowInput => ({
  line,
  cells: { Name: 'Sample Cluster', Status: 'Planned', Certainty: 'Likely', Owner: 'Sample Lab', ...cells },
});
const map = (input: ClusterRowInput) => mapEpochClusterRow(input, { publishedOn: PUBLISHED_ON, chips: lookup });

describe('one row', () => {
  it('reports each cell it cannot map, by column', () => {
    const result = map(
      row(7, {
        Name: '',
        Status: 'Rumoured',
        Certainty: 'Maybe',
        'Chip quantity (primary)': 'lots',
        'Chip quantity (secondary)': '10.5',
        'H100 equivalents': '2e9',
        'First Operational Date': '2025-13-45',
      }),
    );
    expect(result.errors).toEqual([
      { line: 7, field: 'Name', message: 'the cluster has no name' },
      { line: 7, field: 'Status', message: 'must be Existing, Planned or Decommissioned', value: 'Rumoured' },
      { line: 7, field: 'Certainty', message: 'must be Confirmed, Likely or Unlikely', value: 'Maybe' },
      { line: 7, field: 'H100 equivalents', message: 'must be at most 1,000,000,000', value: '2e9' },
      { line: 7, field: 'Chip quantity (primary)', message: 'must be a number, 0 or more', value: 'lots' },
      { line: 7, field: 'Chip quantity (secondary)', message: 'must be a whole number of chips', value: '10.5' },
      { line: 7, field: 'First Operational Date', message: 'must be a date (YYYY-MM-DD)', value: '2025-13-45' },
    ]);
  });

  it('maps the rest of a file around a row that cannot be mapped', () => {
    const file = mapEpochClusterFile([row(2, { Name: 'Good' }), row(3, { Name: 'Bad', Status: '' }), row(4, { Name: 'Also good' })], {
      publishedOn: PUBLISHED_ON,
      chips: lookup,
    });
    expect(file.drafts.map((draft) => draft.key)).toEqual(['epoch:Good', 'epoch:Also good']);
    expect(file.errors).toEqual([{ line: 3, field: 'Status', message: 'must be Existing, Planned or Decommissioned', value: '' }]);
  });

  it("gives Epoch's whole figure to the primary record when neither chip type is known", () => {
    const result = map(
      row(2, {
        'Chip type (primary)': 'Sample ASIC',
        'Chip quantity (primary)': '1000',
        'Chip type (secondary)': 'Sample TPU',
        'Chip quantity (secondary)': '500',
        'H100 equivalents': '900',
      }),
    );
    expect(result.mapped!.drafts.map((draft) => [draft.acceleratorKind, draft.statedH100e])).toEqual([
      ['gpu', 900],
      ['custom', null],
    ]);
  });

  it('gives the unknown record what is left of Epoch’s figure after the known one', () => {
    // 1,000 H100 SXM5 are 1,000 H100e at 1,979 ÷ 1,979; Epoch's 1,600 leave 600 for the unknown chips.
    const result = map(
      row(2, {
        'Chip type (primary)': 'NVIDIA H100 SXM5 80GB',
        'Chip quantity (primary)': '1000',
        'Chip type (secondary)': 'Sample ASIC',
        'Chip quantity (secondary)': '2000',
        'H100 equivalents': '1600',
        'Power Capacity (MW)': '3',
      }),
    );
    expect(result.mapped!.drafts.map((draft) => [draft.statedH100e, draft.statedPowerMw])).toEqual([
      [null, null],
      [600, null],
    ]);
  });

  it('takes a blank certainty as likely, with a warning, and an unknown country as unknown', () => {
    const result = map(row(9, { Certainty: '', Country: 'Atlantis' }));
    expect(result.mapped!.drafts[0]).toMatchObject({ certainty: 'likely', siteCountry: null });
    expect(result.mapped!.warnings).toEqual([
      { line: 9, field: 'Certainty', message: 'no certainty given: taken as likely' },
      { line: 9, field: 'Country', message: 'not a country known by name: the site country is left unknown', value: 'Atlantis' },
    ]);
  });

  it('reads a 30,000.000000000004 chip count as 30,000', () => {
    expect(map(row(2, { 'Chip quantity (primary)': '30000.000000000004' })).mapped!.drafts[0].quantity).toBe(30_000);
  });
});

describe('links across a file', () => {
  const file = (rows: ClusterRowInput[]) => mapEpochClusterFile(rows, { publishedOn: PUBLISHED_ON, chips: lookup });

  it('refuses to close a loop of supersession', () => {
    const result = file([row(2, { Name: 'A', 'Superseded by': 'B' }), row(3, { Name: 'B', 'Superseded by': 'A' })]);
    expect(result.drafts.map((draft) => [draft.key, draft.supersedesKey])).toEqual([
      ['epoch:A', null],
      ['epoch:B', 'epoch:A'],
    ]);
    expect(result.warnings).toEqual([
      { line: 3, field: 'Superseded by', message: 'epoch:B stays counted: epoch:A supersedes another record already', value: 'A' },
    ]);
  });

  it('takes the first named row that is a whole, and not a cancelled one', () => {
    const result = file([
      row(2, { Name: 'Whole', Status: 'Decommissioned' }),
      row(3, { Name: 'Part', 'Possible Duplicate Of': 'Other Part' }),
      row(4, { Name: 'Other Part', 'Possible Duplicate Of': 'Whole,Second Whole' }),
      row(5, { Name: 'Second Whole' }),
      row(6, { Name: 'Third', 'Possible Duplicate Of': 'Part, Second Whole' }),
    ]);
    expect(result.drafts.map((draft) => [draft.key, draft.partOfKey])).toEqual([
      ['epoch:Whole', null],
      // Other Part names rows of its own, so it is a part, not a whole.
      ['epoch:Part', null],
      ['epoch:Other Part', 'epoch:Second Whole'],
      ['epoch:Second Whole', null],
      ['epoch:Third', 'epoch:Second Whole'],
    ]);
    expect(result.warnings).toEqual([
      { line: 3, field: 'Possible Duplicate Of', message: 'names no row of the file that can be a whole: not linked', value: 'Other Part' },
    ]);
  });
});

describe('dates', () => {
  it.each([
    ['Planned H2 2026', '2026-Q3', '2026-Q4'],
    ['Planned H1 2026', '2026-Q1', '2026-Q2'],
    ['Planned 2030', '2030-Q1', '2030-Q4'],
    ['Planned mid-2026', '2026-Q2', '2026-Q3'],
    ['Q3 2026', '2026-Q3', '2026-Q3'],
    ['Planned Q1 2025', '2025-Q1', '2025-Q1'],
    ['early 2027', '2027-Q1', '2027-Q2'],
    ['late 2025', '2025-Q3', '2025-Q4'],
    ['end of 2026', '2026-Q4', '2026-Q4'],
    ['Planned 2026-2027', '2026-Q1', '2027-Q4'],
  ])('reads the note "%s" as %s..%s, announced on the file date', (note, from, to) => {
    expect(datesOf('', note, PUBLISHED_ON)).toEqual({ announcedOn: PUBLISHED_ON, from, to });
  });

  it('takes the first operational date, and the file date where there is neither', () => {
    expect(datesOf('2024-09-02', 'Planned 2026', PUBLISHED_ON)).toEqual({ announcedOn: '2024-09-02', from: '2024-Q3', to: '2024-Q3' });
    expect(datesOf('', 'Planned', PUBLISHED_ON)).toEqual({ announcedOn: PUBLISHED_ON, from: null, to: null });
    expect(datesOf('', '', PUBLISHED_ON)).toEqual({ announcedOn: PUBLISHED_ON, from: null, to: null });
  });
});

describe('company', () => {
  it('is the first owner, else the first user that is a company, else an undisclosed owner', () => {
    expect(companyOf('Amazon,NVIDIA', 'Cloud,NVIDIA')).toBe('Amazon');
    expect(companyOf('', 'Anthropic, Amazon')).toBe('Anthropic');
    expect(companyOf('', 'Cloud')).toBe('Undisclosed owner');
    expect(companyOf(' ', '')).toBe('Undisclosed owner');
  });
});
