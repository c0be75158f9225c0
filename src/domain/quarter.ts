/** Calendar quarters written `YYYY-Qn`, and the arithmetic on them. */
export type Quarter = string;

export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

/** A quarter as a single integer (year × 4 + quarter − 1), so ranges and distances are plain arithmetic. */
export function quarterIndex(quarter: Quarter): number {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) throw new RangeError(`not a quarter (YYYY-Qn): ${quarter}`);
  return Number(match[1]) * 4 + Number(match[2]) - 1;
}

export function quarterFromIndex(index: number): Quarter {
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

export function isQuarter(value: unknown): value is Quarter {
  return typeof value === 'string' && QUARTER_PATTERN.test(value);
}

/** The calendar quarter of an ISO date (`YYYY-MM-DD`), read as written, with no time zone shift. */
export function quarterOfDate(isoDate: string): Quarter {
  const match = /^(\d{4})-(\d{2})-\d{2}/.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date: ${isoDate}`);
  const month = Number(match[2]);
  if (month < 1 || month > 12) throw new RangeError(`not an ISO date: ${isoDate}`);
  return `${match[1]}-Q${Math.ceil(month / 3)}`;
}

/** The first day of a quarter as an ISO date: `2024-Q3` → `2024-07-01`. */
export function quarterFirstDay(quarter: Quarter): string {
  const index = quarterIndex(quarter);
  return `${Math.floor(index / 4)}-${String((index % 4) * 3 + 1).padStart(2, '0')}-01`;
}

export function compareQuarters(a: Quarter, b: Quarter): number {
  return quarterIndex(a) - quarterIndex(b);
}

export function addQuarters(quarter: Quarter, count: number): Quarter {
  return quarterFromIndex(quarterIndex(quarter) + count);
}

/** Every quarter from `from` to `to`, inclusive; empty when `from` is after `to`. */
export function quarterRange(from: Quarter, to: Quarter): Quarter[] {
  const start = quarterIndex(from);
  const end = quarterIndex(to);
  const quarters: Quarter[] = [];
  for (let index = start; index <= end; index++) quarters.push(quarterFromIndex(index));
  return quarters;
}
