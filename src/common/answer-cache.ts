import { HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { VersionedCache } from './versioned-cache.js';

/** A serialised answer (bytes, so sending it copies nothing) with the entity tag of those bytes. */
export interface CachedAnswer {
  body: Buffer;
  etag: string;
}

const MAX_ANSWERS = 500;

/** The entity tag of a serialised answer: a digest of its bytes. */
const contentTag = (_answer: unknown, body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/**
 * Serialised answers by normalised query, valid for one ledger version (see VersionedCache): every instance of the
 * API notices a write by any other, and concurrent requests for the same missing answer share one computation.
 */
export class AnswerCache {
  private readonly answers: VersionedCache<CachedAnswer>;

  /** At most `maxAnswers` answers are kept; the oldest goes first. */
  constructor(maxAnswers = MAX_ANSWERS) {
    this.answers = new VersionedCache<CachedAnswer>(maxAnswers);
  }

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
    return this.answers.get(version, key, async () => {
      const answer = await compute();
      const body = Buffer.from(JSON.stringify(answer));
      return { body, etag: tag(answer, body) };
    });
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
