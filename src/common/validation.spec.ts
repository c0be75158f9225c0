import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateCommitmentDto, UpdateCommitmentDto } from '../commitments/dto/commitment.dto.js';
import { CreateCompanyDto } from '../companies/dto/company.dto.js';
import { fieldErrors, validateInstance } from './validation.js';

const pipeVerdict = (object: object) => fieldErrors(validateSync(object, { whitelist: true, forbidNonWhitelisted: true }));

/** Values that pass some check and fail others: the edges of each rule, wrong types, and anything at all. */
const anyValue = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    '',
    ' ',
    0,
    -5,
    1,
    1.5,
    100_000_000,
    100_000_001,
    1e9,
    1e9 + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    [],
    {},
    'gpu',
    'custom',
    'exact',
    'approximate',
    'announced',
    'maybe',
    'likely',
    'US',
    'us',
    'ai_lab',
    'en',
    'EN',
    'pt-BR',
    '2024-03-01',
    '2024-02-30',
    '1989-12-31',
    '2024-Q4',
    '2024-Q5',
    '2101-Q1',
    '$value $property $constraint1',
    'https://example.org/news/1',
    'ftp://example.org/x',
    'not a url',
    '6f0c8f0e-8f5e-4a39-a5f1-0d3a3b0e3d11',
    'x'.repeat(201),
  ),
  fc.string(),
  fc.double(),
  fc.integer(),
);
const anySource = fc.oneof(
  fc.record(
    {
      url: anyValue,
      title: anyValue,
      publisher: anyValue,
      publishedOn: anyValue,
      language: anyValue,
      quote: anyValue,
      colour: anyValue,
    },
    { requiredKeys: [] },
  ),
  anyValue,
);
const anyCommitment = fc.record(
  {
    key: anyValue,
    companyId: anyValue,
    acceleratorId: anyValue,
    acceleratorKind: anyValue,
    quantity: anyValue,
    quantityQualifier: anyValue,
    statedH100e: anyValue,
    statedPowerMw: anyValue,
    announcedOn: anyValue,
    deliveryFrom: anyValue,
    deliveryBy: anyValue,
    status: anyValue,
    certainty: anyValue,
    supersedesId: anyValue,
    sources: fc.oneof(fc.array(anySource, { maxLength: 22 }), anyValue),
    notes: anyValue,
    hostCompanyId: anyValue,
    partOfId: anyValue,
    siteCountry: anyValue,
    version: anyValue,
    unknownField: anyValue,
  },
  { requiredKeys: [] },
);

describe('validateInstance', () => {
  it('gives the validation pipe’s fields and messages for a commitment, in the same order', () => {
    fc.assert(
      fc.property(anyCommitment, (plain) => {
        for (const dto of [plainToInstance(CreateCommitmentDto, plain), plainToInstance(UpdateCommitmentDto, plain)]) {
          expect(validateInstance(dto)).toEqual(pipeVerdict(dto));
        }
      }),
      { numRuns: 3000 },
    );
    // 3,000 runs take about 5 s on a busy shared machine: the default limit is about speed, which this does not test.
  }, 60_000);

  it('gives the validation pipe’s verdict for a company', () => {
    const anyCompany = fc.record(
      {
        name: anyValue,
        aliases: fc.oneof(fc.array(anyValue, { maxLength: 52 }), anyValue),
        country: anyValue,
        kind: anyValue,
        id: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(anyCompany, (plain) => {
        const dto = plainToInstance(CreateCompanyDto, plain);
        expect(validateInstance(dto)).toEqual(pipeVerdict(dto));
      }),
      { numRuns: 1000 },
    );
  });

  it('finds nothing wrong with a valid commitment, and names each bad field of an invalid one', () => {
    const valid = plainToInstance(CreateCommitmentDto, {
      companyId: '6f0c8f0e-8f5e-4a39-a5f1-0d3a3b0e3d11',
      acceleratorKind: 'gpu',
      quantity: 350_000,
      announcedOn: '2024-02-28',
      deliveryBy: '2024-Q4',
      status: 'announced',
      sources: [{ title: 'Meta will have 350,000 H100 GPUs' }],
    });
    expect(validateInstance(valid)).toEqual([]);
    const invalid = plainToInstance(CreateCommitmentDto, { ...valid, quantity: -5, sources: [{ url: 'nope' }], colour: 'red' });
    expect(validateInstance(invalid)).toEqual([
      { field: 'colour', messages: ['property colour should not exist'] },
      { field: 'quantity', messages: ['quantity must be positive'] },
      { field: 'sources[0].url', messages: ['url must be an http(s) URL'] },
    ]);
  });
});
