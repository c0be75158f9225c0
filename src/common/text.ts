import { Transform } from 'class-transformer';

/** Trims strings and string arrays on the way in; other values pass untouched for the validators to judge. */
export function Trim() {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'string') return value.trim();
    if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item.trim() : item));
    return value;
  });
}

/** Case-insensitive, de-duplicated aliases, the canonical name left out. */
export function cleanAliases(aliases: string[] | undefined, name: string): string[] {
  const seen = new Set([name.toLowerCase()]);
  const result: string[] = [];
  for (const alias of aliases ?? []) {
    const key = alias.toLowerCase();
    if (alias.length === 0 || seen.has(key)) continue;
    seen.add(key);
    result.push(alias);
  }
  return result;
}

/**
 * A pool that hands back one shared copy of each short string it is given, for bulk data in which the same values
 * repeat from row to row (statuses, kinds, dates): each row would otherwise keep a copy of its own. It holds
 * `capacity` distinct strings at most; longer strings, and any once it is full, pass unshared.
 */
export function stringPool(maxLength = 40, capacity = 100_000): (text: string) => string {
  const pool = new Map<string, string>();
  return (text) => {
    if (text.length > maxLength) return text;
    const known = pool.get(text);
    if (known !== undefined) return known;
    if (pool.size < capacity) pool.set(text, text);
    return text;
  };
}
