import { describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// A text that keeps the extraction busy for a while: 100,000 characters of numbers, every one a candidate quantity
// whose surroundings the reading looks at.
const SLOW_TEXT = '1 '.repeat(50_000);

async function withTimeLimit(limitMs: string, run: (testApp: TestApp, analyst: Record<string, string>) => Promise<void>) {
  const previous = process.env.EXTRACTION_TIME_LIMIT_MS;
  process.env.EXTRACTION_TIME_LIMIT_MS = limitMs;
  const testApp = await startTestApp({ demoData: true });
  try {
    await run(testApp, await testApp.as('analyst'));
  } finally {
    await testApp.close();
    if (previous === undefined) delete process.env.EXTRACTION_TIME_LIMIT_MS;
    else process.env.EXTRACTION_TIME_LIMIT_MS = previous;
  }
}

const extract = (testApp: TestApp, analyst: Record<string, string>, text: string) =>
  http(testApp.baseUrl, 'POST', '/api/extract', { json: { text, publishedOn: '2024-02-28', language: 'en' }, headers: analyst });

describe('extraction on its own threads, with a time budget', () => {
  it('answers a text over its budget with 422 naming the text, and goes on reading the next one', async () => {
    await withTimeLimit('50', async (app, user) => {
      const slow = await extract(app, user, SLOW_TEXT);
      expect(slow.status).toBe(422);
      expect(slow.body.message).toContain('text: reading it took longer than 50 ms (EXTRACTION_TIME_LIMIT_MS)');
      expect(slow.body.details).toEqual([{ field: 'text', messages: [expect.stringContaining('send a shorter text')] }]);

      // The thread that ran over was replaced: a short text is read as before.
      const short = await extract(app, user, 'Meta will buy 350,000 H100 GPUs this year.');
      expect(short.status).toBe(200);
      expect(short.body.candidates).toHaveLength(1);
    });
  });

  it('refuses texts at once with 503 and Retry-After while every thread is busy and the queue is full', async () => {
    await withTimeLimit('1500', async (app, user) => {
      const answers = await Promise.all(Array.from({ length: 40 }, () => extract(app, user, SLOW_TEXT)));
      const refused = answers.filter((answer) => answer.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0].headers.get('retry-after')).toBe('2');
      expect(refused[0].body.message).toBe('Every extraction thread is busy with other texts: retry in 2 s');
      for (const answer of answers) expect([200, 503]).toContain(answer.status);
      expect(answers.some((answer) => answer.status === 200)).toBe(true);
    });
  });
});
