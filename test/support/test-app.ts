import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Empties every table so a test file starts from a clean ledger (the catalog loads again on start). */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const tables: { tablename: string }[] = (
    await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`)
  ).rows;
  await client.query(`TRUNCATE ${tables.map((table) => `"${table.tablename}"`).join(', ')} CASCADE`);
  await client.end();
}

/** The real application on a real port, over the run's database, reset first. */
export async function startTestApp(options: { demoData?: boolean } = {}): Promise<TestApp> {
  const databaseUrl = inject('databaseUrl');
  await resetDatabase(databaseUrl);
  const app = await createApp({ databaseUrl, poolSize: 4, demoData: options.demoData ?? false, logLevel: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, databaseUrl, close: () => app.close() };
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A real HTTP call with a JSON body (or raw text with its content type). */
export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; text?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/plain';
    body = options.text;
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the raw text is the body
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
