import { createHash } from 'node:crypto';
import { VersionedCache } from '../common/versioned-cache.js';

/** A serialised answer (bytes, so sending it copies nothing) with the entity tag of those bytes. */
export interface CachedAnswer {
  body: Buffer;
  etag: string;
}

const MAX_ANSWERS = 500;

/**
 * Serialised answers by normalised query, valid for one ledger version (see VersionedCache): every instance of the
 * API notices a write by any other, and concurrent requests for the same missing answer share one computation.
 */
export class AnswerCache {
  private readonly answers = new VersionedCache<CachedAnswer>(MAX_ANSWERS);

  /**
   * The answer for `key` at `version`, computed when missing. `compute` reads a snapshot taken after `version` was
   * read, so what it sees is never older than that version.
   */
  get(version: number, key: string, compute: () => Promise<unknown>): Promise<CachedAnswer> {
    return this.answers.get(version, key, async () => {
      const body = Buffer.from(JSON.stringify(await compute()));
      return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
    });
  }
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
