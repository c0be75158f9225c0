import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { articlePage, atomFeed, FeedServer, rssFeed } from '../support/feed-server.js';
import { http, startTestApp, testAccount, type TestApp } from '../support/test-app.js';

// Jobs run only when a test asks (runDue); the feed server is on 127.0.0.1, which the inbox reaches only when allowed.
const saved = { JOB_POLL_SECONDS: process.env.JOB_POLL_SECONDS, FEED_ALLOW_PRIVATE_ADDRESSES: process.env.FEED_ALLOW_PRIVATE_ADDRESSES };
process.env.JOB_POLL_SECONDS = '0';
process.env.FEED_ALLOW_PRIVATE_ADDRESSES = 'true';

const server = new FeedServer();
let first: TestApp;
let second: TestApp;
let analyst: Record<string, string>;
let database: DataSource;
const ids: Record<string, string> = {};

const call = (method: string, path: string, json?: unknown, headers = analyst) => http(first.baseUrl, method, path, { json, headers });
const runJobs = async (...apps: TestApp[]) => {
  const started = (await Promise.all(apps.map((app) => app.app.get(JobsService).runDue()))).reduce((a, b) => a + b, 0);
  await Promise.all(apps.map((app) => app.app.get(JobsService).idle()));
  return started;
};
const inbox = async (status?: string) => (await call('GET', `/api/inbox${status ? `?status=${status}` : ''}`)).body;
const itemTitled = async (title: string) => ((await inbox()).items as { title: string }[]).find((item) => item.title === title) as any;

// Our own sentences, in the style of technology news.
const NORTHWIND_SENTENCE = 'Northwind AI said on Tuesday that it will buy 20,000 Nvidia H100 GPUs by the end of 2025.';
const FILLER =
  'The company has been expanding its training capacity for two years. Its executives described the plan at an event for ' +
  'partners and customers, where they also spoke about software and hiring. Analysts said demand for accelerators is still ' +
  'growing across the industry, and that prices for rented capacity have started to settle after a volatile period. ' +
  'The firm plans to publish more details about its sites later, together with its next quarterly results.';
const ORION_SENTENCE = 'Orion Cloud berencana membeli sekitar 50.000 unit GPU H100 pada akhir tahun ini.';
const ATOM_NORTHWIND_SENTENCE = 'Northwind will acquire about 20,000 H100 GPUs by the end of 2025, the company said.';
const KESTREL_SENTENCE = 'Kestrel Labs will deploy 10,000 H100 GPUs by the end of 2025.';

const rssItems = () => [
  {
    title: 'Northwind orders H100 GPUs',
    link: server.url('/articles/northwind'),
    guid: 'wire-northwind',
    pubDate: 'Tue, 04 Mar 2025 09:00:00 GMT',
    description: 'Northwind orders chips.',
    content: `<p>${NORTHWIND_SENTENCE}</p><p>${FILLER}</p>`,
  },
  {
    title: 'Orion Cloud memperluas pusat datanya',
    link: server.url('/articles/orion'),
    pubDate: 'Wed, 02 Apr 2025 07:00:00 GMT',
    description: 'Orion Cloud memperluas pusat datanya.',
  },
  {
    title: 'Markets were calm',
    link: server.url('/articles/markets'),
    guid: 'wire-markets',
    pubDate: 'Thu, 03 Apr 2025 07:00:00 GMT',
    content: `<p>The weather in the city was fine on Thursday, and the markets were calm.</p><p>${FILLER}</p>`,
  },
];

beforeAll(async () => {
  await server.start();
  server.routes.set('/rss.xml', { body: rssFeed('Test Wire', rssItems()), etag: '"rss-1"' });
  server.routes.set('/articles/orion', {
    contentType: 'text/html; charset=utf-8',
    body: articlePage({
      title: 'Orion Cloud menambah kapasitas',
      language: 'id-ID',
      published: '2025-04-01T10:00:00+07:00',
      paragraphs: [
        'JAKARTA - Orion Cloud mengumumkan rencana ekspansi pusat datanya pada hari Selasa di hadapan para mitra dan pelanggan.',
        ORION_SENTENCE,
        'Perusahaan itu tidak mengungkapkan nilai pembelian tersebut, namun mengatakan bahwa permintaan terus meningkat.',
      ],
    }),
  });
  first = await startTestApp();
  second = await first.startAnotherInstance();
  analyst = await first.as('analyst');
  database = first.app.get<DataSource>(getDataSourceToken());
  for (const [name, aliases] of [
    ['Northwind', ['Northwind AI']],
    ['Orion Cloud', []],
    ['Kestrel Labs', []],
  ] as const) {
    const created = await call('POST', '/api/companies', { name, aliases, kind: 'ai_lab', country: 'US' });
    expect(created.status).toBe(201);
    ids[name] = created.body.id;
  }
  const chips = (await call('GET', '/api/accelerators')).body as { id: string; name: string }[];
  ids.h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
});

afterAll(async () => {
  await second?.close();
  await first?.close();
  await server.stop();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('feeds', () => {
  it('are added by analysts only, with an http(s) URL and a name', async () => {
    const viewer = await first.as('viewer');
    expect((await call('GET', '/api/feeds', undefined, viewer)).status).toBe(403);
    expect((await call('GET', '/api/inbox', undefined, viewer)).status).toBe(403);
    const bad = await call('POST', '/api/feeds', { url: 'ftp://example.com/feed', name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['name', 'url']);
    const extra = await call('POST', '/api/feeds', { url: server.url('/rss.xml'), name: 'x', interval: 5 });
    expect(extra.status).toBe(400);
  });

  it('are polled once per period whatever the number of instances, each item read and proposed', async () => {
    const created = await call('POST', '/api/feeds', { url: server.url('/rss.xml'), name: 'Test Wire' });
    expect(created.status).toBe(201);
    ids.rss = created.body.id;
    expect((await call('POST', '/api/feeds', { url: server.url('/rss.xml'), name: 'Again' })).status).toBe(409);

    // The first poll is due at once; both instances look for due work at the same moment.
    await runJobs(first, second);
    expect(server.requestsTo('/rss.xml')).toHaveLength(1);
    expect(await runJobs(first, second)).toBe(0);

    const feeds = (await call('GET', '/api/feeds')).body;
    expect(feeds).toEqual([
      expect.objectContaining({
        id: ids.rss,
        name: 'Test Wire',
        lastError: null,
        failures: 0,
        newItems: 2,
        lastPolledAt: expect.any(String),
      }),
    ]);
    expect((await inbox()).total).toBe(3);
  });

  it('propose an item that carries its content with the fields the extraction reads, and the sentence as evidence', async () => {
    const item = await itemTitled('Northwind orders H100 GPUs');
    expect(item).toMatchObject({
      feedId: ids.rss,
      feedName: 'Test Wire',
      status: 'new',
      url: server.url('/articles/northwind'),
      publishedOn: '2025-03-04',
      language: 'en',
      textFrom: 'feed',
      possibleDuplicates: [],
    });
    expect(item.candidates).toEqual([
      {
        company: { id: ids.Northwind, name: 'Northwind' },
        accelerator: { id: ids.h100, name: 'H100 SXM' },
        acceleratorKind: 'gpu',
        quantity: 20_000,
        quantityQualifier: 'exact',
        amountLow: null,
        amountHigh: null,
        deliveryFrom: null,
        deliveryBy: '2025-Q4',
        status: 'announced',
        evidence: { text: NORTHWIND_SENTENCE, start: 0, end: NORTHWIND_SENTENCE.length },
        possibleDuplicates: [],
      },
    ]);
    expect(item.text.slice(item.candidates[0].evidence.start, item.candidates[0].evidence.end)).toBe(NORTHWIND_SENTENCE);
    // The page was not fetched: the feed carried the article.
    expect(server.requestsTo('/articles/northwind')).toHaveLength(0);
  });

  it("read a summary-only item from its linked page: the article's text, language and date", async () => {
    const item = await itemTitled('Orion Cloud memperluas pusat datanya');
    expect(server.requestsTo('/articles/orion')).toHaveLength(1);
    expect(item).toMatchObject({ textFrom: 'page', language: 'id', publishedOn: '2025-04-02', readError: null, status: 'new' });
    expect(item.text).toContain(ORION_SENTENCE);
    expect(item.text).not.toContain('About us');
    expect(item.candidates).toHaveLength(1);
    expect(item.candidates[0]).toMatchObject({
      company: { id: ids['Orion Cloud'] },
      quantity: 50_000,
      quantityQualifier: 'approximate',
      deliveryBy: '2025-Q4',
      evidence: { text: ORION_SENTENCE },
    });
  });

  it('keep an item with nothing to propose out of the new list', async () => {
    const item = await itemTitled('Markets were calm');
    expect(item).toMatchObject({ status: 'no_candidates', candidates: [] });
    const waiting = await inbox('new');
    expect(waiting.items.map((entry: { title: string }) => entry.title).sort()).toEqual([
      'Northwind orders H100 GPUs',
      'Orion Cloud memperluas pusat datanya',
    ]);
    expect((await inbox('no_candidates')).total).toBe(1);
  });

  it('ask again with the ETag and propose nothing twice, only what is new', async () => {
    const polled = await call('POST', `/api/feeds/${ids.rss}/poll`);
    expect(polled.status).toBe(200);
    expect(polled.body).toMatchObject({ added: 0, polled: true, feed: { lastError: null } });
    expect(server.requestsTo('/rss.xml').at(-1)).toMatchObject({ ifNoneMatch: '"rss-1"' });

    // The feed changes: its old items again, and one new one; the same item twice in one feed counts once.
    const more = {
      title: 'Northwind adds B200 orders',
      link: server.url('/articles/northwind-b200'),
      guid: 'wire-northwind-b200',
      pubDate: 'Mon, 05 May 2025 09:00:00 GMT',
      content: `<p>Northwind said it will also buy 5,000 Nvidia H100 GPUs for a second site by the end of 2026.</p><p>${FILLER}</p>`,
    };
    server.routes.set('/rss.xml', {
      body: rssFeed('Test Wire', [more, ...rssItems(), more]),
      lastModified: 'Mon, 05 May 2025 10:00:00 GMT',
    });
    const again = await call('POST', `/api/feeds/${ids.rss}/poll`);
    expect(again.body.added).toBe(1);
    expect((await inbox()).total).toBe(4);
    // The next request carries the Last-Modified the server gave, and is answered 304.
    expect((await call('POST', `/api/feeds/${ids.rss}/poll`)).body.added).toBe(0);
    expect(server.requestsTo('/rss.xml').at(-1)).toMatchObject({ ifModifiedSince: 'Mon, 05 May 2025 10:00:00 GMT' });
    expect(server.requestsTo('/articles/orion')).toHaveLength(1);
    expect((await inbox()).total).toBe(4);
  });

  it('merge the same announcement from another outlet into one proposal with two sources, and flag a stored record it repeats', async () => {
    const stored = await call('POST', '/api/commitments', {
      companyId: ids['Kestrel Labs'],
      acceleratorId: ids.h100,
      quantity: 10_000,
      announcedOn: '2025-01-10',
      deliveryBy: '2025-Q4',
      status: 'announced',
      sources: [{ title: 'Kestrel Labs annual report' }],
    });
    expect(stored.status).toBe(201);
    ids.kestrelRecord = stored.body.id;
    server.routes.set('/atom.xml', {
      contentType: 'application/atom+xml',
      body: atomFeed('Other Outlet', [
        {
          title: 'Northwind to acquire 20,000 GPUs',
          id: 'tag:other.example,2025:northwind',
          link: server.url('/other/northwind'),
          published: '2025-03-05T08:00:00Z',
          content: `<p>${ATOM_NORTHWIND_SENTENCE}</p><p>${FILLER}</p>`,
        },
        {
          title: 'Kestrel Labs deploys H100s',
          id: 'tag:other.example,2025:kestrel',
          link: server.url('/other/kestrel'),
          published: '2025-05-07T08:00:00Z',
          content: `<p>${KESTREL_SENTENCE}</p><p>${FILLER}</p>`,
        },
      ]),
    });
    const created = await call('POST', '/api/feeds', { url: server.url('/atom.xml'), name: 'Other Outlet' });
    ids.atom = created.body.id;
    expect((await call('POST', `/api/feeds/${ids.atom}/poll`)).body.added).toBe(2);

    const waiting = await inbox('new');
    const titles = waiting.items.map((item: { title: string }) => item.title);
    expect(titles).not.toContain('Northwind to acquire 20,000 GPUs');
    const northwind = waiting.items.find((item: { title: string }) => item.title === 'Northwind orders H100 GPUs');
    expect(northwind.sources.map((source: { feedName: string; url: string }) => [source.feedName, source.url])).toEqual([
      ['Test Wire', server.url('/articles/northwind')],
      ['Other Outlet', server.url('/other/northwind')],
    ]);
    const kestrel = waiting.items.find((item: { title: string }) => item.title === 'Kestrel Labs deploys H100s');
    expect(kestrel.possibleDuplicates).toEqual([ids.kestrelRecord]);
    expect(kestrel.candidates[0].possibleDuplicates).toEqual([ids.kestrelRecord]);
    // The merged item is reviewed through the proposal it joined.
    const merged = (await call('GET', `/api/inbox?feedId=${ids.atom}`)).body.items;
    expect(merged.map((item: { title: string }) => item.title)).toEqual(['Kestrel Labs deploys H100s']);
  });
});

describe('reviewing', () => {
  it('accepts the edited candidates as records cited with every source of the proposal, the sentence as quote', async () => {
    const item = await itemTitled('Northwind orders H100 GPUs');
    const refused = await call('POST', `/api/inbox/${item.id}/accept`, {
      candidates: [{ ...item.candidates[0], company: { id: 'not-an-id', name: 'Northwind' } }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((detail: { field: string }) => detail.field)).toEqual(['candidates[0].company.id']);

    const edited = { ...item.candidates[0], quantity: 21_000, certainty: 'confirmed' };
    const accepted = await call('POST', `/api/inbox/${item.id}/accept`, { candidates: [edited] });
    expect(accepted.status).toBe(200);
    expect(accepted.body.item).toMatchObject({ status: 'accepted', acceptedIds: [accepted.body.commitments[0].id] });
    const record = (await call('GET', `/api/commitments/${accepted.body.commitments[0].id}`)).body;
    expect(record).toMatchObject({
      companyId: ids.Northwind,
      acceleratorId: ids.h100,
      quantity: 21_000,
      quantityQualifier: 'exact',
      announcedOn: '2025-03-04',
      deliveryBy: '2025-Q4',
      status: 'announced',
      certainty: 'confirmed',
      createdBy: (await first.session('analyst')).user.id,
    });
    expect(record.sources).toEqual([
      {
        url: server.url('/articles/northwind'),
        title: 'Northwind orders H100 GPUs',
        publisher: 'Test Wire',
        publishedOn: '2025-03-04',
        language: 'en',
        quote: NORTHWIND_SENTENCE,
      },
      {
        url: server.url('/other/northwind'),
        title: 'Northwind to acquire 20,000 GPUs',
        publisher: 'Other Outlet',
        publishedOn: '2025-03-05',
        language: 'en',
        quote: ATOM_NORTHWIND_SENTENCE,
      },
    ]);
    expect((await call('POST', `/api/inbox/${item.id}/accept`, { candidates: [edited] })).status).toBe(409);
    expect((await call('POST', `/api/inbox/${item.id}/dismiss`)).status).toBe(409);
    const merged = (await call('GET', `/api/inbox?feedId=${ids.atom}&status=accepted`)).body;
    expect(merged.total).toBe(0);
    const [{ status }] = await database.query(`SELECT status FROM inbox_items WHERE title = 'Northwind to acquire 20,000 GPUs'`);
    expect(status).toBe('accepted');
  });

  it('writes nothing when one candidate is refused', async () => {
    const item = await itemTitled('Orion Cloud memperluas pusat datanya');
    const before = (await call('GET', '/api/commitments')).body.total;
    const response = await call('POST', `/api/inbox/${item.id}/accept`, {
      candidates: [item.candidates[0], { ...item.candidates[0], company: { id: '00000000-0000-4000-8000-000000000000' } }],
    });
    expect(response.status).toBe(400);
    expect(response.body.details[0].field).toMatch(/^candidates\[1\]\./);
    expect((await call('GET', '/api/commitments')).body.total).toBe(before);
    expect((await call('GET', `/api/inbox/${item.id}`)).body.status).toBe('new');
  });

  it('dismisses an item: out of the new list, nothing written', async () => {
    const item = await itemTitled('Kestrel Labs deploys H100s');
    const dismissed = await call('POST', `/api/inbox/${item.id}/dismiss`);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', reviewedAt: expect.any(String) });
    expect((await inbox('new')).items.map((entry: { id: string }) => entry.id)).not.toContain(item.id);
    expect((await inbox('dismissed')).items.map((entry: { id: string }) => entry.id)).toEqual([item.id]);
    expect((await call('POST', `/api/inbox/00000000-0000-4000-8000-000000000000/dismiss`)).status).toBe(404);
    expect((await call('GET', '/api/inbox?status=later')).status).toBe(400);
  });
});

describe('a feed that fails', () => {
  it('shows its last error, is retried with a growing delay, and recovers', async () => {
    server.routes.set('/broken.xml', { body: 'unavailable', status: 503, contentType: 'text/plain' });
    const feed = (await call('POST', '/api/feeds', { url: server.url('/broken.xml'), name: 'Broken' })).body;
    await runJobs(first);
    let view = (await call('GET', '/api/feeds')).body.find((entry: { id: string }) => entry.id === feed.id);
    expect(view).toMatchObject({ failures: 1, lastError: `${server.url('/broken.xml')} answered HTTP 503` });
    const [job] = await database.query(
      `SELECT extract(epoch FROM run_at - now()) AS delay, last_error FROM jobs WHERE queue = 'feeds.poll' AND state = 'pending'
       AND payload->>'feedId' = $1`,
      [feed.id],
    );
    // The first retry waits the base delay (60 s) plus up to 20 % jitter.
    expect(Number(job.delay)).toBeGreaterThan(50);
    expect(Number(job.delay)).toBeLessThanOrEqual(72);
    await database.query(`UPDATE jobs SET run_at = now() WHERE queue = 'feeds.poll' AND payload->>'feedId' = $1`, [feed.id]);
    await runJobs(first);
    view = (await call('GET', '/api/feeds')).body.find((entry: { id: string }) => entry.id === feed.id);
    expect(view.failures).toBe(2);
    const [retry] = await database.query(
      `SELECT extract(epoch FROM run_at - now()) AS delay FROM jobs WHERE queue = 'feeds.poll' AND state = 'pending' AND payload->>'feedId' = $1`,
      [feed.id],
    );
    expect(Number(retry.delay)).toBeGreaterThan(110);

    server.routes.set('/broken.xml', { body: atomFeed('Broken', []), contentType: 'application/atom+xml' });
    const recovered = await call('POST', `/api/feeds/${feed.id}/poll`);
    expect(recovered.body.feed).toMatchObject({ failures: 0, lastError: null });
  });

  it('says so when the answer is not a feed, too large, or redirected more than three times', async () => {
    server.routes.set('/page.html', { body: '<html><body>Not a feed</body></html>', contentType: 'text/html' });
    server.routes.set('/huge.xml', { body: 'x'.repeat(3 * 1024 * 1024) });
    for (let hop = 1; hop <= 4; hop++) server.routes.set(`/hop/${hop}`, { redirect: server.url(`/hop/${hop - 1}`) });
    server.routes.set('/hop/0', { body: atomFeed('Hops', []), contentType: 'application/atom+xml' });
    const errorOf = async (path: string) => {
      const feed = (await call('POST', '/api/feeds', { url: server.url(path), name: path })).body;
      return (await call('POST', `/api/feeds/${feed.id}/poll`)).body.feed.lastError;
    };
    expect(await errorOf('/page.html')).toContain('is not an RSS or Atom feed');
    expect(await errorOf('/huge.xml')).toContain('over the 2097152 byte limit');
    expect(await errorOf('/hop/4')).toContain('more than 3 redirects');
    expect(await errorOf('/hop/3')).toBeNull();
  });

  it('is removed with its schedule and its items; the records accepted from it stay', async () => {
    const recordsBefore = (await call('GET', '/api/commitments')).body.total;
    expect((await call('DELETE', `/api/feeds/${ids.atom}`)).status).toBe(204);
    expect((await call('GET', `/api/inbox?feedId=${ids.atom}`)).body.total).toBe(0);
    expect(await database.query(`SELECT 1 FROM job_schedules WHERE name = $1`, [`feed:${ids.atom}`])).toEqual([]);
    expect((await call('GET', '/api/commitments')).body.total).toBe(recordsBefore);
    expect((await call('DELETE', `/api/feeds/${ids.atom}`)).status).toBe(404);
  });
});

describe('private addresses', () => {
  it('are refused without FEED_ALLOW_PRIVATE_ADDRESSES, at creation and at every fetch, without a request', async () => {
    process.env.FEED_ALLOW_PRIVATE_ADDRESSES = 'false';
    const strict = await first.startAnotherInstance();
    process.env.FEED_ALLOW_PRIVATE_ADDRESSES = 'true';
    try {
      const { headers } = await strict.login(testAccount('analyst'));
      const byAddress = await http(strict.baseUrl, 'POST', '/api/feeds', {
        json: { url: server.url('/private.xml'), name: 'Private' },
        headers,
      });
      expect(byAddress.status).toBe(400);
      expect(byAddress.body.details[0]).toMatchObject({ field: 'url' });
      expect(byAddress.body.message).toContain('127.0.0.1 is a loopback address');
      const byName = await http(strict.baseUrl, 'POST', '/api/feeds', {
        json: { url: server.url('/private.xml').replace('127.0.0.1', 'localhost'), name: 'Private' },
        headers,
      });
      expect(byName.status).toBe(400);
      expect(byName.body.message).toMatch(/localhost resolves to .* loopback address/);

      // A feed added where private addresses are allowed is still refused by an instance that does not allow them.
      server.routes.set('/private.xml', { body: atomFeed('Private', []), contentType: 'application/atom+xml' });
      const feed = (await call('POST', '/api/feeds', { url: server.url('/private.xml'), name: 'Private' })).body;
      const polled = await http(strict.baseUrl, 'POST', `/api/feeds/${feed.id}/poll`, { headers });
      expect(polled.body.feed.lastError).toContain('127.0.0.1 is a loopback address');
      expect(server.requestsTo('/private.xml')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});
