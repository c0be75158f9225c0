import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AttributedCompany, type CountedAmount, attribute, attributedTotals, newestOfChains } from './attribution.js';

const Q1 = 100; // any quarter index will do: 100 … 103 stand for four quarters in a row
const companies = new Map<string, AttributedCompany>([
  ['google', { id: 'google', name: 'Google', country: 'US', kind: 'hyperscaler' }],
  ['anthropic', { id: 'anthropic', name: 'Anthropic', country: 'US', kind: 'ai_lab' }],
  ['g42', { id: 'g42', name: 'G42', country: 'AE', kind: 'sovereign' }],
  ['openai', { id: 'openai', name: 'OpenAI', country: null, kind: 'ai_lab' }],
]);

function record(id: string, fields: Partial<CountedAmount>): CountedAmount {
  return {
    id,
    companyId: 'google',
    hostCompanyId: null,
    partOfId: null,
    siteCountry: null,
    window: { first: Q1, last: Q1 },
    share: 0,
    ...fields,
  };
}

const noChains = (id: string) => id;
const totals = (records: CountedAmount[], attribution: 'user' | 'owner', groupBy: 'company' | 'country' | 'companyKind' = 'company') =>
  attributedTotals(attribute(records, noChains, attribution), companies, groupBy, Q1, Q1 + 3);
const valuesOf = (result: ReturnType<typeof totals>) => Object.fromEntries(result.series.map((series) => [series.key, series.values]));

describe('attribute: owners and users, wholes and parts', () => {
  // Google's fleet: 400 a quarter over four quarters (1,600). Anthropic's share of it, hosted by Google: 100 a quarter
  // in the first two quarters (200). A record of G42's of its own: 50 in the first quarter.
  const fleet = record('fleet', { companyId: 'google', window: { first: Q1, last: Q1 + 3 }, share: 400, siteCountry: 'US' });
  const tenant = record('tenant', {
    companyId: 'anthropic',
    hostCompanyId: 'google',
    partOfId: 'fleet',
    window: { first: Q1, last: Q1 + 1 },
    share: 100,
  });
  const own = record('own', { companyId: 'g42', share: 50 });

  it('user: the part under its own company, the whole less its parts in each quarter', () => {
    const result = totals([fleet, tenant, own], 'user');
    // Google: 400 − 100, 400 − 100, 400, 400; Anthropic: 100, 100, 0, 0; G42: 50 in the first quarter.
    expect(valuesOf(result)).toEqual({ google: [300, 300, 400, 400], anthropic: [100, 100, 0, 0], g42: [50, 0, 0, 0] });
    expect(result.total).toBe(1650);
  });

  it('owner: the part counts 0, the whole in full under its host (its own company here)', () => {
    const result = totals([fleet, tenant, own], 'owner');
    expect(valuesOf(result)).toEqual({ google: [400, 400, 400, 400], g42: [50, 0, 0, 0] });
    expect(result.total).toBe(1650);
  });

  it('owner: a hosted record without a whole counts under its host; user: under its own company', () => {
    const hosted = record('hosted', { companyId: 'anthropic', hostCompanyId: 'google', share: 70 });
    expect(valuesOf(totals([hosted], 'owner'))).toEqual({ google: [70, 0, 0, 0] });
    expect(valuesOf(totals([hosted], 'user'))).toEqual({ anthropic: [70, 0, 0, 0] });
  });

  it('floors the whole at 0 where its parts exceed it; user counts the parts, owner their sum under the whole', () => {
    const whole = record('whole', { companyId: 'google', share: 100, window: { first: Q1, last: Q1 + 1 } });
    const a = record('a', { companyId: 'anthropic', partOfId: 'whole', share: 80 });
    const b = record('b', { companyId: 'openai', partOfId: 'whole', share: 50, window: { first: Q1, last: Q1 + 1 } });
    // Quarter 1: parts 130 > whole 100 (30 over); quarter 2: part 50 ≤ 100.
    const user = totals([whole, a, b], 'user');
    expect(valuesOf(user)).toEqual({ google: [0, 50, 0, 0], anthropic: [80, 0, 0, 0], openai: [50, 50, 0, 0] });
    expect(user.total).toBe(230);
    const owner = totals([whole, a, b], 'owner');
    expect(valuesOf(owner)).toEqual({ google: [130, 100, 0, 0] });
    expect(owner.total).toBe(230);
    expect(attribute([whole, a, b], noChains, 'owner').excess).toEqual({ amount: 30, wholes: ['whole'] });
  });

  it('a part whose whole is not counted counts in full, in both attributions', () => {
    // The whole is cancelled, or has no amount in the metric: it is not among the counted records.
    const orphan = record('orphan', { companyId: 'anthropic', hostCompanyId: 'google', partOfId: 'gone', share: 40 });
    expect(valuesOf(totals([orphan], 'user'))).toEqual({ anthropic: [40, 0, 0, 0] });
    expect(valuesOf(totals([orphan], 'owner'))).toEqual({ google: [40, 0, 0, 0] });
  });

  it('a part of a superseded whole counts against the newest record of its chain', () => {
    // The part names v1; v2 revises v1 (v1 no longer counts), v3 revises v2: v3 is the whole.
    const v3 = record('v3', { companyId: 'google', share: 500 });
    const part = record('part', { companyId: 'anthropic', partOfId: 'v1', share: 200 });
    const newestOf = newestOfChains([
      { id: 'v2', supersedesId: 'v1', deleted: false },
      { id: 'v3', supersedesId: 'v2', deleted: false },
    ]);
    expect(newestOf('v1')).toBe('v3');
    const user = attributedTotals(attribute([v3, part], newestOf, 'user'), companies, 'company', Q1, Q1);
    expect(valuesOf(user)).toEqual({ google: [300], anthropic: [200] });
    const owner = attributedTotals(attribute([v3, part], newestOf, 'owner'), companies, 'company', Q1, Q1);
    expect(valuesOf(owner)).toEqual({ google: [500] });
    // With v3 deleted, v2 is the newest again — not counted here, so the part counts in full.
    const back = newestOfChains([
      { id: 'v2', supersedesId: 'v1', deleted: false },
      { id: 'v3', supersedesId: 'v2', deleted: true },
    ]);
    expect(back('v1')).toBe('v2');
    expect(valuesOf(attributedTotals(attribute([part], back, 'owner'), companies, 'company', Q1, Q1))).toEqual({ anthropic: [200] });
  });

  it('groups by country: the site country, else the attributed company’s, else unknown', () => {
    const inUae = record('uae', { companyId: 'openai', siteCountry: 'AE', share: 10 });
    const nowhere = record('nowhere', { companyId: 'openai', share: 5 });
    const hosted = record('hosted', { companyId: 'openai', hostCompanyId: 'g42', share: 7 });
    const user = totals([inUae, nowhere, hosted], 'user', 'country');
    expect(user.series.map(({ key, label, total }) => ({ key, label, total }))).toEqual([
      { key: 'unknown', label: 'Unknown country', total: 12 },
      { key: 'AE', label: 'AE', total: 10 },
    ]);
    // As owner, the hosted record takes its host's country (AE).
    const owner = totals([inUae, nowhere, hosted], 'owner', 'country');
    expect(valuesOf(owner)).toEqual({ AE: [17, 0, 0, 0], unknown: [5, 0, 0, 0] });
  });

  it('groups by company kind, with the kind’s name as label', () => {
    const result = totals([fleet, tenant, own], 'user', 'companyKind');
    expect(result.series.map(({ key, label, total }) => ({ key, label, total }))).toEqual([
      { key: 'hyperscaler', label: 'Hyperscaler', total: 1400 },
      { key: 'ai_lab', label: 'AI lab', total: 200 },
      { key: 'sovereign', label: 'Sovereign programme', total: 50 },
    ]);
  });
});

describe('attribute: the ranges of wholes and parts', () => {
  // Google's fleet: about 400 a quarter over four quarters (±10 %: 360 to 440). Anthropic's share of it: up to 100 a
  // quarter in the first two (0 to 100).
  const fleet = record('fleet', { window: { first: Q1, last: Q1 + 3 }, share: 400, low: 360, high: 440 });
  const tenant = record('tenant', {
    companyId: 'anthropic',
    partOfId: 'fleet',
    window: { first: Q1, last: Q1 + 1 },
    share: 100,
    low: 0,
    high: 100,
  });
  const pieces = (records: CountedAmount[], attribution: 'user' | 'owner') =>
    attribute(records, noChains, attribution).contributions.map((piece) => [
      piece.record.id,
      piece.first,
      piece.last,
      piece.share,
      piece.low,
      piece.high,
      piece.openAbove,
    ]);

  it('user: the part keeps its range; the whole’s low loses the part’s high and its high the part’s low', () => {
    expect(pieces([fleet, tenant], 'user')).toEqual([
      ['fleet', Q1, Q1, 300, 260, 440, false],
      ['fleet', Q1 + 1, Q1 + 1, 300, 260, 440, false],
      ['fleet', Q1 + 2, Q1 + 2, 400, 360, 440, false],
      ['fleet', Q1 + 3, Q1 + 3, 400, 360, 440, false],
      ['tenant', Q1, Q1 + 1, 100, 0, 100, false],
    ]);
  });

  it('owner: the part counts 0 with low and high 0; the whole keeps its range where its parts fit', () => {
    expect(pieces([fleet, tenant], 'owner')).toEqual([
      ['fleet', Q1, Q1, 400, 360, 440, false],
      ['fleet', Q1 + 1, Q1 + 1, 400, 360, 440, false],
      ['fleet', Q1 + 2, Q1 + 2, 400, 360, 440, false],
      ['fleet', Q1 + 3, Q1 + 3, 400, 360, 440, false],
    ]);
  });

  it('user: each bound is floored at 0, and a remainder of 0 whose high is not 0 is kept', () => {
    // A whole of 100 (90 to 110); parts of 60 (40 to 80) and 30 (20 to 30): 10 left, from 0 (90 − 110 floored) to
    // 50 (110 − 60).
    const whole = record('whole', { share: 100, low: 90, high: 110 });
    const parts = [
      record('a', { partOfId: 'whole', share: 60, low: 40, high: 80 }),
      record('b', { partOfId: 'whole', share: 30, low: 20, high: 30 }),
    ];
    expect(pieces([whole, ...parts], 'user')[0]).toEqual(['whole', Q1, Q1, 10, 0, 50, false]);
    // A part of 100 (95 to 105) leaves 0 of the whole, which may still be up to 15 (110 − 95).
    const full = record('full', { partOfId: 'whole', share: 100, low: 95, high: 105 });
    expect(pieces([whole, full], 'user')).toEqual([
      ['whole', Q1, Q1, 0, 0, 15, false],
      ['full', Q1, Q1, 100, 95, 105, false],
    ]);
  });

  it('owner: where the parts outgrow the whole, max(whole, Σ parts) bound by bound; an open part leaves the whole open', () => {
    // A whole of 100 (90 to 110); a part of at least 120 (stated 120, low 100 given, no upper bound: high 120).
    const whole = record('whole', { share: 100, low: 90, high: 110 });
    const part = record('part', { partOfId: 'whole', share: 120, low: 100, high: 120, openAbove: true });
    expect(pieces([whole, part], 'owner')).toEqual([['whole', Q1, Q1, 120, 100, 120, true]]);
    // In user the part is open and the whole’s remainder (0, from 0 to 10) is not.
    expect(pieces([whole, part], 'user')).toEqual([
      ['whole', Q1, Q1, 0, 0, 10, false],
      ['part', Q1, Q1, 120, 100, 120, true],
    ]);
  });

  it('a record without a range given is exact: low and high are its share', () => {
    expect(pieces([record('plain', { share: 70 })], 'user')).toEqual([['plain', Q1, Q1, 70, 70, 70, false]]);
  });
});

describe('attribute: properties', () => {
  // Ledgers of a few wholes, each with parts, and some records of their own, over quarters 0 … 5.
  const window = fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }))
    .map(([a, b]) => ({ first: Math.min(a, b), last: Math.max(a, b) }));
  const company = fc.constantFrom('google', 'anthropic', 'g42', 'openai');
  const host = fc.option(company, { nil: null });
  const ledger = fc
    .record({
      wholes: fc.array(fc.record({ companyId: company, hostCompanyId: host, window, share: fc.integer({ min: 0, max: 1000 }) }), {
        minLength: 1,
        maxLength: 4,
      }),
      parts: fc.array(
        fc.record({
          whole: fc.nat(),
          companyId: company,
          hostCompanyId: host,
          window,
          share: fc.integer({ min: 0, max: 1000 }),
        }),
        { maxLength: 8 },
      ),
    })
    .map(({ wholes, parts }) => [
      ...wholes.map((whole, index) =>
        record(`w${index}`, { ...whole, hostCompanyId: whole.hostCompanyId === whole.companyId ? null : whole.hostCompanyId }),
      ),
      ...parts.map((part, index) =>
        record(`p${index}`, {
          ...part,
          hostCompanyId: part.hostCompanyId === part.companyId ? null : part.hostCompanyId,
          partOfId: `w${part.whole % wholes.length}`,
        }),
      ),
    ]);
  const grand = (records: CountedAmount[], attribution: 'user' | 'owner') =>
    attributedTotals(attribute(records, noChains, attribution), companies, 'company', 0, 5).total;

  it('gives the same grand total in both attributions, for every ledger (parts above the whole included)', () => {
    fc.assert(fc.property(ledger, (records) => grand(records, 'user') === grand(records, 'owner')));
  });

  it('counts every record once where the parts fit in their whole: the grand total is the sum of the records that are not parts', () => {
    const fitting = ledger.filter((records) => {
      const parts = records.filter((r) => r.partOfId !== null);
      return records
        .filter((r) => r.partOfId === null)
        .every((whole) =>
          [0, 1, 2, 3, 4, 5].every((q) => {
            const own = q >= whole.window.first && q <= whole.window.last ? whole.share : 0;
            const inParts = parts
              .filter((p) => p.partOfId === whole.id && q >= p.window.first && q <= p.window.last)
              .reduce((sum, p) => sum + p.share, 0);
            return inParts <= own;
          }),
        );
    });
    fc.assert(
      fc.property(fitting, (records) => {
        const wholes = records.filter((r) => r.partOfId === null);
        const expected = wholes.reduce((sum, r) => sum + r.share * (r.window.last - r.window.first + 1), 0);
        return grand(records, 'user') === expected && grand(records, 'owner') === expected;
      }),
    );
  });

  it('never counts below 0 in any series and quarter', () => {
    fc.assert(
      fc.property(ledger, fc.constantFrom<'user' | 'owner'>('user', 'owner'), (records, attribution) =>
        attributedTotals(attribute(records, noChains, attribution), companies, 'company', 0, 5).series.every((series) =>
          series.values.every((value) => value >= 0),
        ),
      ),
    );
  });
});
