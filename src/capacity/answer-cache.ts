import { HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';

/** A serialised answer (bytes, so sending it copies nothing) with the entity tag of those bytes. */
export interface CachedAnswer {
  body: Buffer;
  etag: string;
}

const MAX_ANSWERS = 500;

/** The entity tag of a serialised answer: a digest of its bytes. */
const contentTag = (_answer: unknown, body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/**
 * Serialised answers by normalised query, valid for one ledger version. A lookup names the version it just read
 * from the database, so every instance of the API notices a write by any other; answers of an older version are
 * dropped as soon as a newer one is seen. Concurrent requests for the same missing answer share one computation.
 */
export class AnswerCache {
  private version: number | null = null;
  private readonly answers = new Map<string, Promise<CachedAnswer>>();

  /** At most `maxAnswers` answers are kept; the oldest goes first. */
  constructor(private readonly maxAnswers = MAX_ANSWERS) {}

  /**
   * The answer for `key` at `version`, computed when missing. `compute` reads a snapshot taken after `version` was
   * read, so what it sees is never older than that version. `tag` gives the entity tag (default: a digest of the bytes).
   */
  get<T>(
    version: number,
    key: string,
    compute: () => Promise<T>,
    tag: (answer: T, body: Buffer) => string = contentTag,
  ): Promise<CachedAnswer> {
    if (version !== this.version) this.reset(version);
    const known = this.answers.get(key);
    if (known) return known;
    const pending = compute().then((answer) => {
      const body = Buffer.from(JSON.stringify(answer));
      return { body, etag: tag(answer, body) };
    });
    pending.catch(() => this.answers.get(key) === pending && this.answers.delete(key));
    if (this.answers.size >= this.maxAnswers) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(key, pending);
    return pending;
  }

  private reset(version: number): void {
    this.version = version;
    this.answers.clear();
  }
}

/**
 * Sends a cached answer with its entity tag, or 304 with no body when `If-None-Match` names it. Clients revalidate
 * every time (`no-cache`). The tag is compared here rather than by Express, which ignores it whenever the request
 * itself says `Cache-Control: no-cache`, as `fetch` does for every conditional request it is given.
 */
export function sendAnswer(request: Request, response: Response, { body, etag }: CachedAnswer): void {
  response.set({ ETag: etag, 'Cache-Control': 'no-cache' });
  const known = request.headers['if-none-match'];
  if (known !== undefined && (known.trim() === '*' || known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))) {
    response.status(HttpStatus.NOT_MODIFIED).end();
    return;
  }
  response.type('application/json').send(body);
}

/** A cache key for a query object: the same for the same fields in any order, lists compared as sets. */
export function queryKey(route: string, query: object): string {
  const entries = Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, Array.isArray(value) ? [...new Set(value.map(String))].sort() : value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${route}?${JSON.stringify(entries)}`;
}

/**
 * Reads a value that can change at any time, sharing reads between concurrent callers without ever answering a
 * caller with a read that started before it asked: a caller that arrives while a read is in flight joins the one
 * read queued to start after it. Under load, many requests then share one round trip to the database.
 */
export class SharedRead<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly readOnce: () => Promise<T>) {}

  read(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(noop, noop).then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const running = this.readOnce().finally(() => {
      if (this.running === running) this.running = null;
    });
    this.running = running;
    return running;
  }
}

/**
 * Computations shared while they run: a caller asking for a key that is being computed joins that computation.
 * A key is forgotten as soon as its computation settles, so nothing is held between bursts of requests.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  get(key: string, compute: () => Promise<T>): Promise<T> {
    let pending = this.running.get(key);
    if (!pending) {
      pending = compute().finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    return pending;
  }
}

function noop(): void {}
