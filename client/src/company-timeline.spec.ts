import { describe, expect, it } from 'vitest';
import type { Commitment } from './api-types';
import { companySources, companyTimeline } from './company-timeline';

function record(id: string, fields: Partial<Commitment>): Commitment {
  return {
    id,
    announcedOn: '2030-01-01',
    status: 'announced',
    supersedesId: null,
    supersededById: null,
    window: { from: '2030-Q1', to: '2030-Q2' },
    updatedAt: '2030-06-01T10:00:00.000Z',
    sources: [],
    ...fields,
  } as Commitment;
}

describe('companyTimeline', () => {
  it('draws a supersession chain as one line: announced, revised, then the delivery of the newest record', () => {
    const first = record('a', { announcedOn: '2030-01-10', supersededById: 'b' });
    const second = record('b', { announcedOn: '2030-02-20', supersedesId: 'a', supersededById: 'c' });
    const third = record('c', {
      announcedOn: '2030-03-30',
      supersedesId: 'b',
      status: 'delivered',
      window: { from: '2030-Q2', to: '2030-Q4' },
    });
    const lone = record('d', { announcedOn: '2030-02-01', status: 'cancelled', updatedAt: '2030-05-05T00:00:00.000Z' });
    // Given out of order, as a list page may answer.
    const lines = companyTimeline([third, lone, first, second]);
    expect(lines.map((line) => line.records.map((entry) => entry.id))).toEqual([['a', 'b', 'c'], ['d']]);
    expect(lines[0].events.map((event) => [event.kind, event.when])).toEqual([
      ['announced', '2030-01-10'],
      ['revised', '2030-02-20'],
      ['revised', '2030-03-30'],
      ['delivered', '2030-Q4'],
    ]);
    expect(lines[0].current.id).toBe('c');
    expect(lines[1].events.map((event) => [event.kind, event.when])).toEqual([
      ['announced', '2030-02-01'],
      ['cancelled', '2030-05-05'],
    ]);
  });

  it('starts a line at a record whose predecessor belongs to another company', () => {
    const lines = companyTimeline([record('x', { supersedesId: 'elsewhere' })]);
    expect(lines.map((line) => line.events.map((event) => event.kind))).toEqual([['announced']]);
  });
});

describe('companySources', () => {
  it('lists each source once, by URL, with the records citing it, newest first', () => {
    const shared = { url: 'https://example.test/a', title: 'A', publisher: null, publishedOn: '2030-01-01', language: null, quote: null };
    const newer = { url: null, title: 'Filing', publisher: null, publishedOn: '2030-03-01', language: null, quote: null };
    const one = record('1', { sources: [shared] });
    const two = record('2', { sources: [{ ...shared, quote: 'another sentence' }, newer] });
    expect(companySources([one, two]).map((entry) => [entry.source.title, entry.records.map((item) => item.id)])).toEqual([
      ['Filing', ['2']],
      ['A', ['1', '2']],
    ]);
  });
});
