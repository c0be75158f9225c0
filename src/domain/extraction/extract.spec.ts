import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelledCatalog, labelledSet } from '../../../test/fixtures/extraction-labelled.js';
import { EVALUATED_FIELDS, scoreExtraction, toLabelled } from './evaluation.js';
import { extractCommitments } from './extract.js';
import type { ExtractionCatalog } from './types.js';

const catalog: ExtractionCatalog = {
  companies: [
    { id: 'meta', name: 'Meta', aliases: ['Meta Platforms', 'Facebook'] },
    { id: 'microsoft', name: 'Microsoft', aliases: [] },
    { id: 'apple', name: 'Apple', aliases: [] },
  ],
  accelerators: [
    { id: 'h100', name: 'H100 SXM', vendor: 'Nvidia', kind: 'gpu', aliases: ['H100', 'H100 SXM5', 'Hopper H100'] },
    { id: 'a100', name: 'A100 SXM', vendor: 'Nvidia', kind: 'gpu', aliases: ['A100'] },
    { id: 'mtia', name: 'MTIA v2', vendor: 'Meta', kind: 'custom', aliases: ['MTIA'] },
  ],
};

// Our own sentences in the style of the Indonesian seed article (a visit, a product launch, then the plans).
const INDONESIAN_ARTICLE = [
  'SEOUL - Pimpinan Meta Platforms bertemu dengan sejumlah pemasok komponen di Seoul pada Rabu 27 Februari untuk membicarakan pasokan chip AI.',
  'Meta merilis kacamata pintar generasi kedua pada bulan Oktober, setahun setelah pesaingnya, Apple, memperkenalkan headset Vision Pro.',
  'Perusahaan ini tahun ini juga berencana membuat chip kustom dan menambah fitur AI di produk-produknya.',
  'Pertemuan itu berlangsung sekitar dua jam dan dihadiri 12 eksekutif, menurut panitia.',
  'Perusahaan tersebut berencana menerapkan generasi baru chip kustom buatannya di pusat data mereka tahun ini.',
  'Selain itu, mereka berencana mengamankan sekitar 350.000 unit GPU H100 buatan Nvidia pada akhir tahun ini.',
].join('\n');

describe('extractCommitments on an Indonesian article', () => {
  const result = extractCommitments({ text: INDONESIAN_ARTICLE, publishedOn: '2024-02-28' }, catalog);

  it('finds exactly the two commitments of Meta: its custom chip this year and about 350,000 H100 by the end of the year', () => {
    expect(result.language).toBe('id');
    expect(result.candidates.map(({ evidence: _evidence, ...fields }) => fields)).toEqual([
      {
        company: { id: 'meta', name: 'Meta' },
        accelerator: null,
        acceleratorKind: 'custom',
        quantity: null,
        quantityQualifier: null,
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2024-Q4',
        status: 'announced',
      },
      {
        company: { id: 'meta', name: 'Meta' },
        accelerator: { id: 'h100', name: 'H100 SXM' },
        acceleratorKind: 'gpu',
        quantity: 350000,
        quantityQualifier: 'approximate',
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2024-Q4',
        status: 'announced',
      },
    ]);
  });

  it('cites the sentence of each commitment by its offsets in the text', () => {
    const [custom, h100] = result.candidates;
    expect(custom.evidence.text).toBe(
      'Perusahaan tersebut berencana menerapkan generasi baru chip kustom buatannya di pusat data mereka tahun ini.',
    );
    expect(h100.evidence.text).toBe(
      'Selain itu, mereka berencana mengamankan sekitar 350.000 unit GPU H100 buatan Nvidia pada akhir tahun ini.',
    );
    for (const { evidence } of result.candidates) expect(INDONESIAN_ARTICLE.slice(evidence.start, evidence.end)).toBe(evidence.text);
    expect(h100.evidence.start).toBe(INDONESIAN_ARTICLE.indexOf('Selain itu'));
  });
});

describe('extractCommitments', () => {
  const extract = (text: string, publishedOn = '2024-02-28', language?: string) =>
    extractCommitments({ text, publishedOn, language }, catalog);

  it('refers "the company" back to the last company named', () => {
    const [candidate] = extract('Microsoft opened a campus in Wisconsin. The company will buy 5,000 H100 GPUs next year.').candidates;
    expect(candidate.company).toEqual({ id: 'microsoft', name: 'Microsoft' });
    expect(candidate.quantity).toBe(5000);
    expect([candidate.deliveryFrom, candidate.deliveryBy]).toEqual(['2025-Q1', '2025-Q4']);
  });

  it('returns chips and companies the catalog lacks by name, with a null id', () => {
    const [candidate] = extract('Nebius will deploy 20,000 Nvidia B300 GPUs in Finland.').candidates;
    expect(candidate.company).toEqual({ id: null, name: 'Nebius' });
    expect(candidate.accelerator).toEqual({ id: null, name: 'B300' });
    expect(candidate.acceleratorKind).toBe('gpu');
    expect(candidate.quantity).toBe(20000);
  });

  it('maps the verbs to a status', () => {
    const status = (text: string) => extract(text).candidates.map((candidate) => candidate.status);
    expect(status('Meta plans to buy 1,000 H100 GPUs.')).toEqual(['announced']);
    expect(status('Meta ordered 1,000 H100 GPUs.')).toEqual(['confirmed']);
    expect(status('Meta memesan 1.000 GPU H100.')).toEqual(['confirmed']);
    expect(status('Meta installed 1,000 H100 GPUs.')).toEqual(['delivered']);
    expect(status('Meta has brought online 1,000 H100 GPUs.')).toEqual(['delivered']);
    expect(status('Meta telah memasang 1.000 GPU H100.')).toEqual(['delivered']);
    expect(status('Meta plans to install 1,000 H100 GPUs.')).toEqual(['announced']);
    expect(status('Meta reportedly ordered 1,000 H100 GPUs.')).toEqual(['rumored']);
    expect(status('Meta dilaporkan memesan 1.000 GPU H100.')).toEqual(['rumored']);
    expect(status('Meta cancelled an order for 1,000 H100 GPUs.')).toEqual(['cancelled']);
  });

  it('does not take model numbers, years, prices or H100-equivalents for quantities', () => {
    expect(extract('Meta compared the H100 with the A100 in 2024.').candidates).toEqual([]);
    expect(extract('Meta will have 600,000 H100 equivalents by the end of 2024.').candidates).toEqual([]);
    expect(extract('Meta bought H100 GPUs for US$200 juta in 2024.').candidates.map((candidate) => candidate.quantity)).toEqual([null]);
  });

  it('gives a catalog chip named without a quantity only next to a verb of acquiring or deploying', () => {
    expect(extract('Meta will deploy MTIA in its data centres this year.').candidates.map((candidate) => candidate.accelerator)).toEqual([
      { id: 'mtia', name: 'MTIA v2' },
    ]);
    expect(extract('Meta designs MTIA for ranking models.').candidates).toEqual([]);
  });

  it('merges a later mention of the same commitment into the first', () => {
    const result = extract('Meta will buy 10,000 H100 GPUs. The 10,000 H100 GPUs will arrive by the end of this year.');
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0].deliveryBy).toBe('2024-Q4');
  });

  it('takes the language given over the detected one', () => {
    expect(extract('Meta will buy 10,000 H100 GPUs.', '2024-02-28', 'de').language).toBe('de');
    expect(extract('Meta will buy 10,000 H100 GPUs.').language).toBe('en');
  });
});

describe('extractCommitments on what analysts paste', () => {
  const pasted: ExtractionCatalog = {
    companies: [
      ...catalog.companies,
      { id: 'naver', name: 'Naver', aliases: ['네이버'] },
      { id: 'softbank', name: 'SoftBank', aliases: ['ソフトバンク'] },
    ],
    accelerators: [
      ...catalog.accelerators,
      { id: 'gb200', name: 'GB200', vendor: 'Nvidia', kind: 'gpu', aliases: ['GB200 NVL72'] },
      { id: 'maia', name: 'Maia 100', vendor: 'Microsoft', kind: 'custom', aliases: ['Maia'] },
    ],
  };
  const extract = (text: string, publishedOn = '2025-06-01', language?: string) =>
    extractCommitments({ text, publishedOn, language }, pasted);
  const fields = (text: string, publishedOn?: string) =>
    extract(text, publishedOn).candidates.map(({ evidence: _evidence, ...rest }) => rest);

  it('proposes a company the catalog lacks, written in Hangul or kana before a particle, by its name without an id', () => {
    expect(fields('카카오는 H100 2천 장을 구매했다.')).toEqual([
      {
        company: { id: null, name: '카카오' },
        accelerator: { id: 'h100', name: 'H100 SXM' },
        acceleratorKind: 'gpu',
        quantity: 2000,
        quantityQualifier: 'exact',
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: null,
        status: 'confirmed',
      },
    ]);
    expect(fields('楽天グループはH100を1000基導入した。').map((candidate) => [candidate.company, candidate.status])).toEqual([
      [{ id: null, name: '楽天グループ' }, 'delivered'],
    ]);
  });

  it('matches a Korean alias before a particle, and a generic chip counted after it', () => {
    expect(
      fields('네이버는 GPU 1000장을 도입할 계획이다.').map((candidate) => [
        candidate.company,
        candidate.acceleratorKind,
        candidate.quantity,
      ]),
    ).toEqual([[{ id: 'naver', name: 'Naver' }, 'gpu', 1000]]);
    expect(fields('네이버클라우드가 H100 300장을 도입한다.')[0].company).toEqual({ id: null, name: '네이버클라우드' });
  });

  it('gives one candidate for a chip named in several words, with its quantity', () => {
    expect(
      fields('xAI will deploy 50,000 Vera Rubin NVL144 GPUs in H2 2026.').map((candidate) => [candidate.accelerator, candidate.quantity]),
    ).toEqual([[{ id: null, name: 'Vera Rubin NVL144' }, 50000]]);
    expect(fields('Meta will deploy 5,000 GB200 NVL72 GPUs.').map((candidate) => [candidate.accelerator, candidate.quantity])).toEqual([
      [{ id: 'gb200', name: 'GB200' }, 5000],
    ]);
    expect(fields('Microsoft will deploy 10,000 Maia 200 chips.').map((candidate) => candidate.accelerator)).toEqual([
      { id: null, name: 'Maia 200' },
    ]);
  });

  it('fills amountLow and amountHigh from a range, with the midpoint as an approximate quantity', () => {
    const [candidate] = fields('Oracle plans to buy between 300,000 and 400,000 H100 GPUs by the end of 2026.');
    expect([candidate.quantity, candidate.quantityQualifier, candidate.amountLow, candidate.amountHigh]).toEqual([
      350000,
      'approximate',
      300000,
      400000,
    ]);
    const [japanese] = fields('ソフトバンクはGB200を30万〜40万基導入する計画だ。');
    expect([japanese.company?.id, japanese.quantity, japanese.amountLow, japanese.amountHigh]).toEqual([
      'softbank',
      350000,
      300000,
      400000,
    ]);
  });

  it('keeps a stated figure as the quantity and takes the range beside it as its bounds', () => {
    const [candidate] = fields('Meta will deploy about 350,000 H100 GPUs (300,000–400,000) this year.');
    expect([candidate.quantity, candidate.quantityQualifier, candidate.amountLow, candidate.amountHigh]).toEqual([
      350000,
      'approximate',
      300000,
      400000,
    ]);
    // A range that does not contain the figure is not its range.
    const [other] = fields('Meta will deploy about 350,000 H100 GPUs (100,000–200,000) this year.');
    expect([other.quantity, other.amountLow, other.amountHigh]).toEqual([350000, null, null]);
  });

  it('leaves "up to" and "at least" as qualifiers, without bounds', () => {
    expect(
      fields('Meta will buy up to 10,000 H100 GPUs.').map((candidate) => [
        candidate.quantityQualifier,
        candidate.amountLow,
        candidate.amountHigh,
      ]),
    ).toEqual([['up_to', null, null]]);
    expect(
      fields('Meta will buy at least 10,000 H100 GPUs.').map((candidate) => [
        candidate.quantityQualifier,
        candidate.amountLow,
        candidate.amountHigh,
      ]),
    ).toEqual([['at_least', null, null]]);
  });

  it('reads fiscal years by the convention the text states in another sentence', () => {
    const text = 'Microsoft runs a fiscal year that ends in June. It will deploy 20,000 Maia 200 chips in the second half of fiscal 2026.';
    expect(fields(text, '2025-08-01').map((candidate) => [candidate.company?.id, candidate.deliveryFrom, candidate.deliveryBy])).toEqual([
      ['microsoft', '2026-Q1', '2026-Q2'],
    ]);
    expect(
      fields('Microsoft will deploy 20,000 Maia 200 chips in FY2026.', '2025-08-01').map((candidate) => [
        candidate.deliveryFrom,
        candidate.deliveryBy,
      ]),
    ).toEqual([['2026-Q1', '2026-Q4']]);
  });

  it('answers a text in a language it cannot read with the language, a notice and no candidates', () => {
    const spanish = extract('Meta comprará 10.000 GPU H100 para finales de 2025, según la empresa.');
    expect(spanish).toEqual({ language: 'es', unsupported: true, notice: expect.stringContaining('in Spanish'), candidates: [] });
    const russian = extract('Компания Meta купит 10 000 GPU H100 в 2025 году.');
    expect([russian.language, russian.unsupported, russian.candidates]).toEqual(['und', true, []]);
    // The language given decides: a caller who says the text is Thai is told it is not read.
    expect(extract('Meta will buy 10,000 H100 GPUs.', '2025-06-01', 'th').unsupported).toBe(true);
    // Malay is read with Indonesian's words.
    expect(extract('Meta akan membeli 1.000 GPU H100.', '2025-06-01', 'ms')).toMatchObject({
      unsupported: false,
      notice: null,
      candidates: [expect.anything()],
    });
  });
});

describe('the labelled set', () => {
  const labelled = labelledCatalog();
  // The language is detected, as for a pasted text: a readable text taken for another language loses its candidates.
  const resultOf = (example: (typeof labelledSet.examples)[number]) =>
    extractCommitments({ text: example.text, publishedOn: example.publishedOn }, labelled);
  const scoresOf = (split: string) =>
    scoreExtraction(
      labelledSet.examples
        .filter((example) => example.split === split)
        .map((example) => ({ expected: example.expected, predicted: resultOf(example).candidates.map(toLabelled) })),
    );

  it('holds at least 100 texts in the languages it reads, and some in languages it does not', () => {
    expect(labelledSet.examples.length).toBeGreaterThanOrEqual(100);
    expect(new Set(labelledSet.examples.map((example) => example.language))).toEqual(
      new Set(['en', 'id', 'ko', 'ja', 'fr', 'de', 'es', 'pt', 'it', 'zh', 'und']),
    );
  });

  it('answers every text in a language it cannot read with a notice and no candidates, and no readable text so', () => {
    for (const example of labelledSet.examples) {
      const result = resultOf(example);
      expect({ id: example.id, unsupported: result.unsupported, notice: result.notice !== null }).toEqual({
        id: example.id,
        unsupported: example.unsupported,
        notice: example.unsupported,
      });
      if (example.unsupported) expect(result.candidates).toEqual([]);
    }
  });

  // Floors at the figures measured with `npm run eval:extract`: a change that loses any of them fails here.
  it('keeps every field right on the development texts', () => {
    const scores = scoresOf('development');
    for (const field of [...EVALUATED_FIELDS, 'candidate'] as const) {
      expect({ field, precision: scores[field].precision, recall: scores[field].recall }).toEqual({ field, precision: 1, recall: 1 });
    }
  });

  it('keeps the held-out figures it reached (24 of 25 candidates found, all 24 right on every field)', () => {
    const scores = scoresOf('held-out');
    expect(scores.candidate.expected).toBe(25);
    const measured = { precision: 24 / 24, recall: 24 / 25 };
    const floors = {
      company: measured,
      accelerator: measured,
      quantity: measured,
      qualifier: measured,
      deliveryFrom: measured,
      deliveryBy: measured,
      status: measured,
      amountLow: measured,
      amountHigh: measured,
      candidate: measured,
    };
    for (const [field, floor] of Object.entries(floors) as [keyof typeof floors, typeof measured][]) {
      expect({ field, precision: scores[field].precision >= floor.precision, recall: scores[field].recall >= floor.recall }).toEqual({
        field,
        precision: true,
        recall: true,
      });
    }
  });
});

/** Pieces of the texts the rules read, to build texts no one wrote that still reach every rule. */
const FRAGMENTS = [
  'Meta',
  'Naver',
  '네이버',
  '네이버클라우드는',
  '카카오가',
  'ソフトバンクは',
  '楽天グループが',
  'Nebius will',
  'The company',
  'Nvidia',
  'will buy',
  'ordered',
  'berencana membeli',
  'akan memasang',
  'a commandé',
  'hat bestellt',
  '도입했다',
  '導入した',
  'reportedly',
  'cancelled',
  'about',
  'up to',
  'at least',
  'sekitar',
  'hingga',
  'between',
  'antara',
  'and',
  'dan',
  'to',
  'from',
  '–',
  '-',
  '~',
  '〜',
  '350,000',
  '350.000',
  '300 000',
  '1.5 million',
  '3-4 million',
  '26만',
  '30万',
  '1万基',
  '2천 장',
  '10,000',
  '2024',
  '2025',
  '99',
  '0',
  'H100',
  'H100 SXM5',
  'GB200 NVL72',
  'Vera Rubin NVL144',
  'Maia 200',
  'MTIA v3',
  'TPU v5p',
  'GPUs',
  'GPU',
  'chips',
  'its custom chip',
  'by the end of 2025',
  'end 2025',
  'in March 2025',
  'by March',
  'Maret 2024',
  '2025年3月',
  '2026년 6월까지',
  'FY2025',
  'fiscal year ends in June',
  'mid-2026',
  'H2 2026',
  '1H 2026',
  'Q3 2026',
  '2025年度上期',
  '내년 상반기',
  'in 2024–2025',
  '(',
  ')',
  ',',
  '.',
  '。',
  '\n',
  ' ',
  '$',
  '%',
];

describe('extractCommitments for every input', () => {
  const check = (text: string, publishedOn: string) => {
    const result = extractCommitments({ text, publishedOn }, catalog);
    if (result.unsupported) {
      expect(result.candidates).toEqual([]);
      expect(result.notice).not.toBeNull();
    }
    for (const candidate of result.candidates) {
      const { evidence, quantity, amountLow, amountHigh } = candidate;
      expect(evidence.start).toBeGreaterThanOrEqual(0);
      expect(evidence.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
      for (const quarter of [candidate.deliveryFrom, candidate.deliveryBy]) if (quarter !== null) expect(quarter).toMatch(/^\d{4}-Q[1-4]$/);
      if (candidate.deliveryFrom !== null && candidate.deliveryBy !== null)
        expect(candidate.deliveryFrom <= candidate.deliveryBy).toBe(true);
      if (amountLow !== null || amountHigh !== null) {
        expect(quantity).not.toBeNull();
        expect(amountLow!).toBeLessThanOrEqual(quantity!);
        expect(quantity!).toBeLessThanOrEqual(amountHigh!);
        expect(amountLow!).toBeLessThan(amountHigh!);
      }
    }
  };
  const publishedOn = fc
    .record({ year: fc.integer({ min: 1990, max: 2060 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
    .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

  it('never throws, cites evidence inside the text, and keeps amountLow ≤ quantity ≤ amountHigh on texts built from its own words', () => {
    const text = fc
      .array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 })
      .chain((parts) =>
        fc
          .array(fc.constantFrom(' ', '', ' ', '\n'), { minLength: parts.length, maxLength: parts.length })
          .map((gaps) => parts.map((part, index) => part + gaps[index]).join('')),
      );
    fc.assert(fc.property(text, publishedOn, check), { numRuns: 200 });
  });

  it('holds the same on any string at all', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), publishedOn, check), { numRuns: 200 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), publishedOn, check), { numRuns: 200 });
  });
});

describe('extractCommitments on hostile input', () => {
  it('answers without error, with evidence that indexes into the text, on texts no article looks like', () => {
    const texts = [
      '',
      ' \n\t ',
      'Aa '.repeat(3000),
      '1 '.repeat(5000),
      '1,000,'.repeat(2000),
      '1万'.repeat(3000),
      'Meta bought 10,000 GPUs. '.repeat(300),
      'H100'.repeat(2000),
      '\u0000\uFFFF\uD800 Meta bought 5 H100 \uDC00',
      'by by by the end of of the the second half Q5 2099 9999年度上期 kuartal V',
    ];
    // Detected (texts of digits or kanji alone are then not read at all) and read as English, through every rule.
    for (const [text, language] of texts.flatMap((text) => [[text, undefined] as const, [text, 'en'] as const])) {
      const result = extractCommitments({ text, publishedOn: '2024-02-28', language }, catalog);
      for (const candidate of result.candidates) {
        expect(text.slice(candidate.evidence.start, candidate.evidence.end)).toBe(candidate.evidence.text);
        for (const quarter of [candidate.deliveryFrom, candidate.deliveryBy])
          if (quarter !== null) expect(quarter).toMatch(/^\d{4}-Q[1-4]$/);
      }
    }
    expect(
      extractCommitments({ text: 'Meta bought 10,000 GPUs. '.repeat(300), publishedOn: '2024-02-28' }, catalog).candidates,
    ).toHaveLength(1);
  });
});

describe('extractCommitments on crafted 100,000-character texts', () => {
  // Texts that would take quadratic time in a careless reader: long digit runs, runs of spaces, one name repeated, and the
  // new rules' own material (ranges, particles, months, fiscal years). No timing is asserted; the times are printed.
  const crafted: Record<string, string> = {
    'digits and spaces': `${'1'.repeat(40_000)} ${' '.repeat(20_000)}${'9 '.repeat(20_000)}`,
    'grouped digits and hyphens': '1,000-'.repeat(16_667),
    'ranges chained': '300,000–400,000 to '.repeat(5_264),
    'one company repeated': 'Meta '.repeat(20_000),
    'Korean names and particles': '네이버클라우드는 카카오가 '.repeat(7_143),
    'kana and kanji runs': 'ソフトバンクグループ楽天'.repeat(9_091),
    'months and fiscal years': 'by the end of March FY2025 H1 fiscal year ends in June '.repeat(1_819),
    'chip names chained': 'Vera Rubin NVL144 Maia 200 GB200 NVL72 '.repeat(2_500),
  };
  for (const [name, repeated] of Object.entries(crafted)) {
    it(`reads "${name}" and answers`, () => {
      const text = repeated.slice(0, 100_000);
      const started = performance.now();
      // The language is given: detected, a text of digits alone is answered "und" at once, without the rules.
      const result = extractCommitments({ text, publishedOn: '2025-06-01', language: 'en' }, catalog);
      const elapsed = performance.now() - started;
      console.info(`crafted text "${name}" (${text.length} characters): ${elapsed.toFixed(0)} ms, ${result.candidates.length} candidates`);
      for (const { evidence } of result.candidates) expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
    });
  }
});
