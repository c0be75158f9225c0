import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { TEST_ADMIN, TEST_JWT_SECRET } from '../support/test-app.js';
import { LedgerClient } from './support/ledger-client.js';
import { ScratchPostgres } from './support/scratch-postgres.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Record<string, Schema>;
  body?: Schema;
  takesCsv: boolean;
}

/** One malformed request, and the name its error must mention. */
interface MalformedRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  culprit: string;
  expectedStatus?: number;
  /** Sent without the admin's token. */
  anonymous?: boolean;
}

const PUBLIC_OPERATIONS = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/refresh']);

const HOSTILE_TEXT = fc.constantFrom(
  "' OR 1=1 --",
  "'); DROP TABLE commitments; --",
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '${7*7}',
  '\u0000',
  '😀'.repeat(50),
  'x'.repeat(100_000),
  '../../etc/passwd',
);
// A path segment the URL keeps as written: no separators, no controls or spaces (a URL parser drops them at the
// ends), not "." or "..".
const NOT_A_UUID = fc.oneof(
  fc
    .string({ minLength: 1, maxLength: 40 })
    .filter(
      (text) =>
        !/^[0-9a-f-]{36}$/i.test(text) &&
        !/^\.+$/.test(text) &&
        !/[/?#%\\]/.test(text) &&
        [...text].every((character) => character.charCodeAt(0) > 0x20 && character.charCodeAt(0) !== 0x7f),
    ),
  HOSTILE_TEXT.map((text) => encodeURIComponent(text.slice(0, 200))),
  fc.constantFrom('1', '-1', '0', '00000000-0000-0000-0000-00000000000g', 'null', 'undefined', '1e999'),
);

/** Malformed announcement files (`POST /api/imports`), and the name each error must mention. */
const ANNOUNCEMENTS_HEADER = 'key,company,announced_on,status,accelerator,quantity';
const ANNOUNCEMENT_CSV_CASES = [
  { body: '', culprit: 'empty' },
  { body: 'colour,size\nred,1\n', culprit: 'colour' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-02-30,announced,H100 SXM,10\n`, culprit: 'announced_on' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-01-01,announced,H100 SXM,-5\n`, culprit: 'quantity' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-01-01,maybe,H100 SXM,10\n`, culprit: 'status' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-01-01,announced,Warp Drive 9000,10\n`, culprit: 'accelerator' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,"Acme,2024-01-01,announced,H100 SXM,10\n`, culprit: 'quot' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-01-01,announced,H100 SXM,10,extra,fields\n`, culprit: 'row' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,'); DROP TABLE commitments; --,2024-01-01,announced,Nope,1\n`, culprit: 'accelerator' },
];

/** Malformed copies of Epoch AI's hardware list (`POST /api/accelerators/import/epoch`): its header, broken rows. */
const EPOCH_HEADER = readFileSync(new URL('../fixtures/epoch/ml_hardware.csv', import.meta.url), 'utf8').split('\n')[0];
const epochRow = (cells: Record<string, string>, extra: string[] = []) =>
  [...EPOCH_HEADER.split(',').map((column) => cells[column] ?? ''), ...extra].join(',');
const EPOCH_CHIP = { 'Hardware name': 'Warp Accelerator 9', Manufacturer: 'Acme', Type: 'GPU', 'Release date': '2024-01-01' };
const EPOCH_CSV_CASES = [
  { body: '', culprit: 'empty' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-01-01,announced,H100 SXM,10\n`, culprit: 'Hardware name' },
  { body: `${EPOCH_HEADER}\n${epochRow({ ...EPOCH_CHIP, 'Release date': 'soon' })}\n`, culprit: 'Release date' },
  { body: `${EPOCH_HEADER}\n${epochRow({ ...EPOCH_CHIP, 'TDP (W)': '-700' })}\n`, culprit: 'TDP (W)' },
  { body: `${EPOCH_HEADER}\n${epochRow({ ...EPOCH_CHIP, 'Hardware name': '' })}\n`, culprit: 'Hardware name' },
  { body: `${EPOCH_HEADER}\n"Warp Accelerator 9,Acme\n`, culprit: 'quot' },
  { body: `${EPOCH_HEADER}\n${epochRow(EPOCH_CHIP, ['extra', 'fields'])}\n`, culprit: 'row' },
];

/** Files that are not Epoch AI's GPU Clusters data set (`POST /api/imports/epoch-clusters`): the missing columns named. */
const CLUSTERS_CSV_CASES = [
  { body: 'colour,size\nred,1\n', culprit: 'name' },
  { body: `${ANNOUNCEMENTS_HEADER}\nk1,Acme,2024-01-01,announced,H100 SXM,10\n`, culprit: 'chip quantity (primary)' },
];

/** A value of a type the schema does not allow. */
function wrongTypeValue(schema: Schema): fc.Arbitrary<unknown> {
  const isString = schema.type === 'string' || (!!schema.pattern && schema.type !== 'array');
  if (schema.type === 'array') return fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
  if (isString) return fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ $gt: '' }));
  if (schema.type === 'number' || schema.type === 'integer') {
    return fc.oneof(
      fc.constantFrom('12', 'NaN', 'Infinity', '1e999', '1; DROP TABLE companies'),
      fc.boolean(),
      fc.constant([1]),
      fc.constant({}),
    );
  }
  if (schema.type === 'boolean') return fc.oneof(fc.constantFrom('true', 'yes', 1, 0), fc.constant({}));
  return fc.oneof(
    fc.constant([[[]]]),
    fc.constant(Symbol.for('never')).map(() => new Array(3).fill({ deep: { deeper: 1 } })),
  );
}

/** A query value the parameter's schema rejects, or null where any string is acceptable. */
function invalidQueryValue(schema: Schema): fc.Arbitrary<string> | null {
  const target = schema.type === 'array' ? (schema.items ?? {}) : schema;
  if (target.enum)
    return fc
      .oneof(
        fc.constantFrom('flops', 'ALL', '', '1', "'; --"),
        HOSTILE_TEXT.map((text) => text.slice(0, 300)),
      )
      .filter((value) => !target.enum!.includes(value) && value !== '');
  if (target.format === 'uuid') return NOT_A_UUID.filter((value) => value !== '' && !value.includes(','));
  if (target.pattern) return fc.constantFrom('2024-Q7', '2024-Q0', '24-Q1', '9999-Q4', '2024Q1', '2024-q1', "2024-Q1' OR 1=1");
  if (target.type === 'integer' || (schema.type === undefined && !target.type))
    return fc.constantFrom('0', '-1', '1.5', 'abc', '1e999', '99999999999', '');
  if (target.type === 'boolean') return fc.constantFrom('yes', '1', 'TRUE', 'on');
  if (target.type === 'string') return fc.constant('q'.repeat(5_000));
  return null;
}

describe('malformed requests', () => {
  let postgres: ScratchPostgres;
  let app: INestApplication;
  let baseUrl: string;
  let database: pg.Client;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  const ids: Record<string, string> = {};
  let admin: Record<string, string>;

  beforeAll(async () => {
    postgres = await ScratchPostgres.create();
    const databaseUrl = await postgres.createDatabase('ledger_fuzz');
    app = await createApp({
      databaseUrl,
      poolSize: 4,
      demoData: true,
      firstAdmin: TEST_ADMIN,
      demoAccounts: false,
      auth: { jwtSecret: TEST_JWT_SECRET, tokenTtlSeconds: 3600, publicRead: false },
      rateLimits: { perMinute: 0, loginPerMinute: 0, loginFailuresPerAccount: 0, loginFailureWindowSeconds: 900 },
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    admin = (await LedgerClient.signIn(baseUrl)).headers;
    database = new pg.Client({ connectionString: databaseUrl });
    await database.connect();

    const document = (await (await fetch(`${baseUrl}/api/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: { name: string; in: string; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }
        >
      >;
      components: { schemas: Record<string, Schema> };
    };
    schemas = document.components.schemas;
    operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        pathParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        query: Object.fromEntries(
          (operation.parameters ?? [])
            .filter((parameter) => parameter.in === 'query')
            .map((parameter) => [parameter.name, parameter.schema ?? {}]),
        ),
        body: operation.requestBody?.content['application/json']?.schema,
        takesCsv: operation.requestBody?.content['text/csv'] !== undefined,
      })),
    );
    const first = async (path: string) =>
      (await (await fetch(`${baseUrl}${path}`, { headers: admin })).json()) as { id: string }[] | { items: { id: string }[] };
    const companies = (await first('/api/companies')) as { id: string }[];
    const commitments = (await first('/api/commitments')) as { items: { id: string }[] };
    const chips = (await first('/api/accelerators')) as { id: string }[];
    ids['/api/companies/{id}'] = companies[0].id;
    ids['/api/commitments/{id}'] = commitments.items[0].id;
    ids['/api/accelerators/{id}'] = chips[0].id;
  });

  afterAll(async () => {
    await database?.end();
    await app?.close();
    await postgres?.destroy();
  });

  /** Changes to any row of any table show here: row counts and the newest row version of each table. */
  async function fingerprint(): Promise<string> {
    const tables = (
      await database.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
    ).rows;
    const parts = tables.map(({ tablename }) => `(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM "${tablename}")`);
    const { rows } = await database.query(`SELECT concat_ws('|', ${parts.join(', ')}) AS fingerprint`);
    return rows[0].fingerprint as string;
  }

  const resolveSchema = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;

  function requestArbitrary(): fc.Arbitrary<MalformedRequest> {
    const perOperation = operations
      .filter((operation) => !operation.path.startsWith('/api/docs'))
      .map((operation) => {
        const concretePath = operation.pathParams.reduce(
          (path, name) => path.replace(`{${name}}`, ids[operation.path] ?? '00000000-0000-4000-8000-000000000000'),
          operation.path,
        );
        const base = { method: operation.method, headers: {} as Record<string, string> };
        const kinds: fc.Arbitrary<MalformedRequest>[] = [];
        if (!PUBLIC_OPERATIONS.has(`${operation.method} ${operation.path}`)) {
          kinds.push(
            fc
              .constantFrom<Record<string, string>[]>(
                {},
                { authorization: 'Bearer not-a-token' },
                { authorization: 'Basic YWRtaW46YWRtaW4=' },
                { authorization: `Bearer ${'x'.repeat(5000)}` },
              )
              .map((headers) => ({
                ...base,
                kind: 'no valid token',
                path: concretePath,
                headers,
                culprit: 'token',
                expectedStatus: 401,
                anonymous: true,
              })),
          );
        }

        if (operation.pathParams.includes('id')) {
          kinds.push(
            NOT_A_UUID.map((badId) => ({
              ...base,
              kind: 'bad id',
              // A function, so that `$&` or `$`` in a generated id is kept as written, not expanded by replace.
              path: operation.path.replace('{id}', () => badId),
              culprit: 'id',
              expectedStatus: 400,
            })),
          );
        }
        kinds.push(
          fc
            .tuple(fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/), fc.string({ maxLength: 20 }))
            .filter(([name]) => !(name in operation.query))
            .map(([name, value]) => ({
              ...base,
              kind: 'unknown query parameter',
              path: `${concretePath}?${name}=${encodeURIComponent(value)}`,
              culprit: name,
              expectedStatus: 400,
            })),
        );
        for (const [name, schema] of Object.entries(operation.query)) {
          const invalid = invalidQueryValue(schema);
          if (invalid) {
            kinds.push(
              invalid.map((value) => ({
                ...base,
                kind: `bad ${name}`,
                path: `${concretePath}?${name}=${encodeURIComponent(value)}`,
                culprit: name,
                expectedStatus: 400,
              })),
            );
          }
        }

        const bodySchema = resolveSchema(operation.body);
        if (bodySchema) {
          const json = { ...base, headers: { 'content-type': 'application/json' } };
          const properties = Object.entries(bodySchema.properties ?? {});
          const textProperties = properties
            .filter(([, schema]) => schema.type === 'string' && !schema.enum && !schema.format)
            .map(([name]) => name);
          kinds.push(
            fc
              .tuple(
                fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/),
                fc.jsonValue(),
                textProperties.length ? fc.constantFrom(...textProperties) : fc.constant('name'),
                HOSTILE_TEXT,
              )
              .filter(([name]) => !bodySchema.properties?.[name])
              .map(([name, value, textField, hostile]) => ({
                ...json,
                kind: 'unknown field',
                path: concretePath,
                body: JSON.stringify({ [textField]: hostile.slice(0, 5_000), [name]: value }),
                culprit: name,
                expectedStatus: 400,
              })),
          );
          for (const [name, schema] of properties) {
            kinds.push(
              wrongTypeValue(schema).map((value) => ({
                ...json,
                kind: `wrong type for ${name}`,
                path: concretePath,
                body: JSON.stringify({ [name]: value }),
                culprit: name,
                expectedStatus: 400,
              })),
            );
          }
          for (const name of bodySchema.required ?? []) {
            kinds.push(
              fc.constant({ ...json, kind: `missing ${name}`, path: concretePath, body: '{}', culprit: name, expectedStatus: 400 }),
            );
          }
          if (bodySchema.properties?.announcedOn) {
            kinds.push(
              fc.constantFrom('1800-01-01', '2024-02-30', '2024-13-01', '3000-01-01', '2024/01/01', '20240101', '').map((date) => ({
                ...json,
                kind: 'bad date',
                path: concretePath,
                body: JSON.stringify({ announcedOn: date }),
                culprit: 'announcedOn',
                expectedStatus: 400,
              })),
            );
          }
          kinds.push(
            fc
              .constantFrom('{"name": ', '{name: 1}', "{'a': 1}", '[1,', '{"a":1}}', 'nul', '{"a": NaN}', '\u0000')
              .map((text) => ({ ...json, kind: 'malformed JSON', path: concretePath, body: text, culprit: 'JSON', expectedStatus: 400 })),
            fc
              .uint8Array({ minLength: 1, maxLength: 40 })
              .map((bytes) => new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, ...bytes, 0xc3, 0x22, 0x7d]))
              .map((bytes) => ({ ...json, kind: 'invalid UTF-8', path: concretePath, body: bytes, culprit: 'UTF-8', expectedStatus: 400 })),
            fc
              .constantFrom(
                'text/xml',
                'application/x-www-form-urlencoded',
                'multipart/form-data; boundary=x',
                'application/octet-stream',
                'image/png',
              )
              .map((type) => ({
                ...base,
                kind: 'wrong content type',
                path: concretePath,
                headers: { 'content-type': type },
                body: '<a>1</a>',
                culprit: 'Content-Type',
                expectedStatus: 415,
              })),
            fc.constant({
              ...json,
              kind: 'oversized body',
              path: concretePath,
              body: JSON.stringify({ notes: 'x'.repeat(1_100_000) }),
              culprit: 'large',
              expectedStatus: 413,
            }),
          );
        }
        if (operation.takesCsv) {
          const csv = { ...base, headers: { 'content-type': 'text/csv' } };
          const cases =
            operation.path === '/api/accelerators/import/epoch'
              ? EPOCH_CSV_CASES
              : operation.path === '/api/imports/epoch-clusters'
                ? CLUSTERS_CSV_CASES
                : ANNOUNCEMENT_CSV_CASES;
          kinds.push(
            fc
              .constantFrom(...cases)
              .map(({ body, culprit }) => ({ ...csv, kind: 'bad CSV', path: `${concretePath}?dryRun=false`, body, culprit })),
            fc
              .uint8Array({ minLength: 1, maxLength: 60 })
              .map((bytes) => new Uint8Array([0x6b, 0x65, 0x79, 0x0a, 0xff, 0xfe, 0x00, ...bytes]))
              .map((body) => ({ ...csv, kind: 'binary CSV', path: `${concretePath}?dryRun=false`, body, culprit: 'UTF-8' })),
          );
        }
        return fc.oneof(...kinds);
      });
    return fc.oneof(...perOperation);
  }

  it(`rejects ${RUNS} malformed requests across every route with a 4xx that names the problem, changing nothing`, async () => {
    const statuses = new Map<string, number>();
    const kinds = new Map<string, number>();
    let before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(requestArbitrary(), async (request) => {
        const headers = request.anonymous ? request.headers : { ...admin, ...request.headers };
        const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, body: request.body });
        const text = await response.text();
        statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1);
        kinds.set(
          request.kind.replace(/ for .*|bad (?!id|date).*/, (match) => match.split(' ')[0]),
          (kinds.get(request.kind) ?? 0) + 1,
        );
        const describe = `${request.kind}: ${request.method} ${request.path.slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`;
        expect(response.status, describe).toBeLessThan(500);
        if (request.expectedStatus) expect(response.status, describe).toBe(request.expectedStatus);
        expect(response.status, describe).toBeGreaterThanOrEqual(400);
        const body = JSON.parse(text) as { statusCode: number; error: string; message: string };
        expect(body.statusCode, describe).toBe(response.status);
        expect(typeof body.error, describe).toBe('string');
        expect(body.message.length, describe).toBeGreaterThan(0);
        expect(text.toLowerCase(), describe).toContain(request.culprit.toLowerCase());
        const after = await fingerprint();
        expect(after, `${describe}: the database changed`).toBe(before);
        before = after;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    const total = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `malformed requests: ${total} sent over ${operations.length} operations; statuses ${[...statuses].map(([status, count]) => `${status}×${count}`).join(' ')}; 5xx seen: ${[...statuses].filter(([status]) => status.startsWith('5')).reduce((sum, [, count]) => sum + count, 0)}`,
    );
  });
});
