/**
 * Values by key, valid for one version of what they were computed from. A lookup names the version it just read
 * from the database, so every instance notices a change made through any other; values of another version are
 * dropped as soon as it is seen. Concurrent lookups of the same missing key share one computation, and a failed
 * computation is forgotten. At most `maxEntries` are kept, the oldest dropped first.
 */
export class VersionedCache<T> {
  private version: number | null = null;
  private readonly values = new Map<string, Promise<T>>();

  constructor(private readonly maxEntries: number) {}

  get(version: number, key: string, compute: () => Promise<T>): Promise<T> {
    if (version !== this.version) {
      this.version = version;
      this.values.clear();
    }
    const known = this.values.get(key);
    if (known) return known;
    const pending = compute();
    pending.catch(() => this.values.get(key) === pending && this.values.delete(key));
    if (this.values.size >= this.maxEntries) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, pending);
    return pending;
  }
}
