import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
/** Every call is an analyst's (roles are tested in auth.e2e.ts). */
let analyst: Record<string, string>;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });
const extract = (json: unknown) => call('POST', '/api/extract', { json });

let metaId: string;
let h100Id: string;

beforeAll(async () => {
  testApp = await startTestApp();
  analyst = await testApp.as('analyst');
  const meta = await call('POST', '/api/companies', {
    json: { name: 'Meta', aliases: ['Meta Platforms', 'Facebook', '메타'], kind: 'hyperscaler', country: 'US' },
  });
  expect(meta.status).toBe(201);
  metaId = meta.body.id;
  const chips = (await call('GET', '/api/accelerators')).body as { id: string; name: string }[];
  h100Id = chips.find((chip) => chip.name === 'H100 SXM')!.id;
});
afterAll(() => testApp.close());

// Our own text, in the style of an Indonesian news report.
const ARTICLE = [
  'JAKARTA - Kepala eksekutif Meta Platforms mengunjungi Seoul pekan ini untuk bertemu mitra perangkat kerasnya.',
  'Kunjungan itu merupakan yang pertama setelah sekitar 10 tahun, demikian dilaporkan media setempat.',
  'Meta juga berencana menerapkan versi terbaru chip kustom di pusat data mereka tahun ini.',
  'Mereka berencana mengamankan sekitar 350.000 unit GPU H100 pada akhir tahun ini.',
].join('\n');

describe('POST /api/extract', () => {
  it("finds Meta's two commitments in an Indonesian text, matched against the catalog, with the evidence sentences", async () => {
    const response = await extract({ text: ARTICLE, publishedOn: '2024-02-28' });
    expect(response.status).toBe(200);
    expect(response.body.language).toBe('id');
    const customSentence = 'Meta juga berencana menerapkan versi terbaru chip kustom di pusat data mereka tahun ini.';
    const h100Sentence = 'Mereka berencana mengamankan sekitar 350.000 unit GPU H100 pada akhir tahun ini.';
    expect(response.body.candidates).toEqual([
      {
        company: { id: metaId, name: 'Meta' },
        accelerator: null,
        acceleratorKind: 'custom',
        quantity: null,
        quantityQualifier: null,
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2024-Q4',
        status: 'announced',
        evidence: {
          text: customSentence,
          start: ARTICLE.indexOf(customSentence),
          end: ARTICLE.indexOf(customSentence) + customSentence.length,
        },
      },
      {
        company: { id: metaId, name: 'Meta' },
        accelerator: { id: h100Id, name: 'H100 SXM' },
        acceleratorKind: 'gpu',
        quantity: 350000,
        quantityQualifier: 'approximate',
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2024-Q4',
        status: 'announced',
        evidence: { text: h100Sentence, start: ARTICLE.indexOf(h100Sentence), end: ARTICLE.indexOf(h100Sentence) + h100Sentence.length },
      },
    ]);
    for (const { evidence } of response.body.candidates) expect(ARTICLE.slice(evidence.start, evidence.end)).toBe(evidence.text);
  });

  it('matches a company by its alias', async () => {
    const response = await extract({ text: 'Facebook ordered 24,576 H100 GPUs for its second cluster.', publishedOn: '2024-03-12' });
    expect(response.body.candidates).toHaveLength(1);
    expect(response.body.candidates[0]).toMatchObject({
      company: { id: metaId, name: 'Meta' },
      accelerator: { id: h100Id, name: 'H100 SXM' },
      quantity: 24576,
      quantityQualifier: 'exact',
      status: 'confirmed',
    });
  });

  it('returns an unknown company and chip by name, and matches them once the catalog has them', async () => {
    const text = 'Nebius will deploy up to 20,000 Nvidia B300A GPUs in Finland next year.';
    const before = await extract({ text, publishedOn: '2025-02-15' });
    expect(before.body.candidates).toEqual([
      expect.objectContaining({
        company: { id: null, name: 'Nebius' },
        accelerator: { id: null, name: 'B300A' },
        acceleratorKind: 'gpu',
        quantity: 20000,
        quantityQualifier: 'up_to',
        deliveryFrom: '2026-Q1',
        deliveryBy: '2026-Q4',
        status: 'announced',
      }),
    ]);

    const company = await call('POST', '/api/companies', { json: { name: 'Nebius Group', aliases: ['Nebius'], kind: 'neocloud' } });
    const chip = await call('POST', '/api/accelerators', { json: { name: 'B300A', vendor: 'Nvidia', kind: 'gpu' } });
    expect([company.status, chip.status]).toEqual([201, 201]);
    const after = await extract({ text, publishedOn: '2025-02-15' });
    expect(after.body.candidates[0].company).toEqual({ id: company.body.id, name: 'Nebius Group' });
    expect(after.body.candidates[0].accelerator).toEqual({ id: chip.body.id, name: 'B300A' });
  });

  it('takes the language given over the detected one, and answers an empty result for a text with no commitment', async () => {
    const response = await extract({
      text: 'The H100 was released in 2022 and costs about $30,000.',
      publishedOn: '2024-01-01',
      language: 'en',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ language: 'en', unsupported: false, notice: null, candidates: [] });
    const overridden = await extract({ text: 'Meta akan membeli 1.000 GPU H100.', publishedOn: '2024-01-01', language: 'ms' });
    expect(overridden.body.language).toBe('ms');
  });

  it('rejects a missing text and an impossible date in one 400 naming both', async () => {
    const response = await extract({ publishedOn: '2024-02-30' });
    expect(response.status).toBe(400);
    expect(response.body.details.map((detail: any) => detail.field).sort()).toEqual(['publishedOn', 'text']);
  });

  it('rejects a blank text, a text over 100,000 characters, a bad language code and unknown fields, naming each', async () => {
    const field = async (json: unknown) => {
      const response = await extract(json);
      expect(response.status).toBe(400);
      return response.body.details.map((detail: any) => detail.field);
    };
    expect(await field({ text: '  \n ', publishedOn: '2024-02-28' })).toEqual(['text']);
    expect(await field({ text: 'a'.repeat(100_001), publishedOn: '2024-02-28' })).toEqual(['text']);
    expect(await field({ text: 'Meta', publishedOn: '2024-02-28', language: 'Indonesian' })).toEqual(['language']);
    expect(await field({ text: 'Meta', publishedOn: '2024-02-28', url: 'https://example.org' })).toEqual(['url']);
    expect(await field({ text: 42, publishedOn: '28/02/2024' })).toEqual(expect.arrayContaining(['text', 'publishedOn']));
  });

  it('accepts a text of exactly 100,000 characters and answers 413 for a body over 1 MB', async () => {
    const longest = await extract({ text: 'Meta akan membeli 1.000 GPU H100. '.repeat(3000).slice(0, 100_000), publishedOn: '2024-02-28' });
    expect(longest.status).toBe(200);
    expect(longest.body.candidates).toHaveLength(1);
    const tooLarge = await extract({ text: 'x'.repeat(1_100_000), publishedOn: '2024-02-28' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.statusCode).toBe(413);
  });

  it('is documented in the OpenAPI document', async () => {
    const spec = await call('GET', '/api/docs-json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths['/api/extract'])).toEqual(['post']);
    expect(Object.keys(spec.body.components.schemas.CandidateDto.properties).sort()).toEqual(
      [
        'accelerator',
        'acceleratorKind',
        'amountHigh',
        'amountLow',
        'company',
        'deliveryBy',
        'deliveryFrom',
        'evidence',
        'quantity',
        'quantityQualifier',
        'status',
      ].sort(),
    );
    expect(Object.keys(spec.body.components.schemas.ExtractionResultDto.properties).sort()).toEqual([
      'candidates',
      'language',
      'notice',
      'unsupported',
    ]);
  });

  it('matches a company by its Korean alias before a particle, and proposes one the catalog lacks by name', async () => {
    const text = '메타는 2026년 6월까지 H100 5만 장을 도입할 계획이다.\n카카오는 H100 2천 장을 구매했다.';
    const response = await extract({ text, publishedOn: '2025-07-01' });
    expect(response.status).toBe(200);
    expect(response.body.language).toBe('ko');
    expect(response.body.candidates.map(({ evidence: _evidence, ...fields }: { evidence: unknown }) => fields)).toEqual([
      {
        company: { id: metaId, name: 'Meta' },
        accelerator: { id: h100Id, name: 'H100 SXM' },
        acceleratorKind: 'gpu',
        quantity: 50000,
        quantityQualifier: 'exact',
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2026-Q2',
        status: 'announced',
      },
      {
        company: { id: null, name: '카카오' },
        accelerator: { id: h100Id, name: 'H100 SXM' },
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
  });

  it('gives a range as amountLow and amountHigh around an approximate midpoint, and one record for a chip of several words', async () => {
    const text =
      'Meta plans to buy between 300,000 and 400,000 H100 GPUs in H2 2026. Meta will also deploy 50,000 Vera Rubin NVL144 GPUs by mid-2027.';
    const response = await extract({ text, publishedOn: '2025-10-01' });
    expect(response.status).toBe(200);
    expect(response.body.candidates).toEqual([
      expect.objectContaining({
        company: { id: metaId, name: 'Meta' },
        accelerator: { id: h100Id, name: 'H100 SXM' },
        quantity: 350000,
        quantityQualifier: 'approximate',
        amountLow: 300000,
        amountHigh: 400000,
        deliveryFrom: '2026-Q3',
        deliveryBy: '2026-Q4',
      }),
      expect.objectContaining({
        company: { id: metaId, name: 'Meta' },
        accelerator: { id: null, name: 'Vera Rubin NVL144' },
        quantity: 50000,
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2027-Q2',
      }),
    ]);
  });

  it('answers a text in a language it cannot read with the language, unsupported and a notice, and no candidates', async () => {
    const spanish = await extract({
      text: 'Meta comprará 10.000 GPU H100 para finales de 2025, según la empresa.',
      publishedOn: '2025-01-15',
    });
    expect(spanish.status).toBe(200);
    expect(spanish.body).toEqual({
      language: 'es',
      unsupported: true,
      notice:
        'The extraction reads English, Indonesian, Malay, French, German, Korean and Japanese; this text is in Spanish, so nothing was extracted. Enter its records by hand.',
      candidates: [],
    });
    const cyrillic = await extract({ text: 'Компания Meta купит 10 000 GPU H100 в 2025 году.', publishedOn: '2025-01-15' });
    expect([cyrillic.status, cyrillic.body.language, cyrillic.body.unsupported, cyrillic.body.candidates]).toEqual([200, 'und', true, []]);
  });
});
