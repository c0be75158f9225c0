/** Values by key, at most `maxEntries` of them: a lookup keeps a value fresh, and the least recently used goes first. */
export class BoundedMap<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): T | undefined {
    const value = this.values.get(key);
    if (value === undefined) return undefined;
    this.values.delete(key);
    this.values.set(key, value);
    return value;
  }

  set(key: string, value: T): void {
    this.values.delete(key);
    if (this.values.size >= this.maxEntries) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, value);
  }

  get size(): number {
    return this.values.size;
  }
}
