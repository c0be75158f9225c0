import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const IDLE_SECONDS = 1;
const HEADER = 'key,company,company_kind,accelerator,quantity,announced_on,status,source_title';

let testApp: TestApp;
let analyst: Record<string, string>;

beforeAll(async () => {
  process.env.IMPORT_IDLE_SECONDS = String(IDLE_SECONDS);
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
});

afterAll(async () => {
  delete process.env.IMPORT_IDLE_SECONDS;
  await testApp.close();
});

/**
 * Sends the request line, headers and `body` as one chunk of a chunked upload, then nothing more; resolves with
 * everything the server sent back once it closes the connection.
 */
function stalledUpload(body: string): Promise<string> {
  const { port } = new URL(testApp.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    const chunk = Buffer.from(body, 'utf8');
    socket.write(
      [
        'POST /api/imports HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: ${analyst.authorization}`,
        'Content-Type: text/csv',
        'Transfer-Encoding: chunked',
        '',
        `${chunk.length.toString(16)}\r\n${body}\r\n`,
      ].join('\r\n'),
    );
  });
}

describe('an upload that stalls', () => {
  it('is answered 408 after IMPORT_IDLE_SECONDS with its connection closed, writes nothing, and holds up no one', async () => {
    const count = async () => (await http(testApp.baseUrl, 'GET', '/api/commitments?limit=1', { headers: analyst })).body.total;
    const before = await count();
    const rows = Array.from(
      { length: 50 },
      (_, index) => `stall-${index},Stall Lab,ai_lab,H100 SXM,${index + 1},2024-03-01,announced,Test`,
    );
    const started = Date.now();
    const upload = stalledUpload(`${HEADER}\n${rows.join('\n')}\n`);
    // Other requests are served while the upload waits: its transaction is gone once it is abandoned.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const meanwhile = http(testApp.baseUrl, 'GET', '/api/capacity', { headers: analyst });

    const answer = await upload;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('IMPORT_IDLE_SECONDS');
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000);
    expect((await meanwhile).status).toBe(200);
    expect(await count()).toBe(before);
    const companies = (await http(testApp.baseUrl, 'GET', '/api/companies', { headers: analyst })).body as { name: string }[];
    expect(companies.map((company) => company.name)).not.toContain('Stall Lab');
  });
});
