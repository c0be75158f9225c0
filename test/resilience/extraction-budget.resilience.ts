import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, sleep, startAppProcess } from './support/app-process.js';
import { LedgerClient } from './support/ledger-client.js';

/** Crafted texts of 100,000 characters: every token a number or a name the reading must look around. */
const CRAFTED = [
  { name: 'numbers', text: '1 '.repeat(50_000), language: 'en' },
  { name: 'Korean counts', text: '1만 '.repeat(33_333) + '1', language: 'ko' },
  { name: 'capitals', text: 'A.B.C.D '.repeat(12_500), language: 'en' },
];

describe('a crafted text does not stall the service', () => {
  let app: AppProcess;
  let headers: Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-extraction-'));
  beforeAll(async () => {
    app = await startAppProcess({ DATA_DIR: dataDir });
    headers = (await LedgerClient.signIn(app.baseUrl)).headers;
  });
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  // The figures: the crafted text answered within 2 s, health within 100 ms meanwhile.
  it.each(CRAFTED)('answers 100,000 characters of $name within 2 s while health answers within 100 ms', async ({ text, language }) => {
    expect(text.length).toBeGreaterThanOrEqual(100_000);
    const health: number[] = [];
    let done = false;
    const probe = (async () => {
      while (!done) {
        const started = performance.now();
        expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);
        health.push(performance.now() - started);
        await sleep(20);
      }
    })();
    const started = performance.now();
    const response = await fetch(`${app.baseUrl}/api/extract`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text, publishedOn: '2024-02-28', language }),
    });
    const elapsed = performance.now() - started;
    done = true;
    await probe;
    const body = (await response.json()) as { message?: string };
    console.log(
      `${language} crafted text: ${response.status} in ${Math.round(elapsed)} ms; health ${health.length} probes, slowest ${Math.round(Math.max(...health))} ms`,
    );
    expect([200, 422]).toContain(response.status);
    if (response.status === 422) expect(body.message).toContain('text: reading it took longer than');
    expect(elapsed).toBeLessThan(2_000);
    expect(health.length).toBeGreaterThan(0);
    expect(Math.max(...health)).toBeLessThan(100);
  });
});
