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
