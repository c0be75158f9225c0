/**
 * Fields that move on every write or follow from the others: the version counter, the timestamps and the writer
 * (the entry itself says who and when), and a commitment's derived metrics. What remains is what someone changed.
 */
const BOOKKEEPING = new Set(['version', 'updatedAt', 'createdAt', 'updatedBy', 'createdBy', 'metrics']);

/** The fields whose values differ between two recorded versions of a record, in the order they first appear. */
export function changedFields(before: object | null, after: object | null): string[] {
  const old = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(old), ...Object.keys(now)])].filter(
    (field) => !BOOKKEEPING.has(field) && JSON.stringify(old[field]) !== JSON.stringify(now[field]),
  );
}
