/**
 * Moments of the ledger's history, for `asOf` and drift: an ISO date stands for the end of that UTC day, a
 * date-time for itself (UTC where it names no offset).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY_MS = 86_400_000;

/**
 * A moment: `at` is what the database compares (an ISO timestamp, to the microsecond), `epochMs` the first
 * millisecond after it (a version that began at `at` or before counts; one that began at `epochMs` does not).
 */
export interface Moment {
  at: string;
  epochMs: number;
}

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && year <= 9999 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The end of a UTC day (`YYYY-MM-DD`): its last microsecond. */
export function endOfDay(date: string): Moment {
  const start = Date.parse(`${date}T00:00:00Z`);
  return { at: `${date}T23:59:59.999999Z`, epochMs: start + DAY_MS };
}

/** The moment a query's `asOf` names, or null when it is neither a real date nor a date-time. */
export function parseMoment(value: string): Moment | null {
  const date = DATE.exec(value);
  if (date) return realDate(Number(date[1]), Number(date[2]), Number(date[3])) ? endOfDay(value) : null;
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime) return null;
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone = 'Z'] = dateTime;
  if (!realDate(Number(year), Number(month), Number(day)) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const offsetMinutes =
    offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  if (Math.abs(offsetMinutes) > 14 * 60) return null;
  const micros = Number(fraction.slice(1).padEnd(6, '0') || '0');
  const utcMs =
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offsetMinutes * 60_000;
  const base = new Date(utcMs).toISOString().slice(0, 19);
  return { at: `${base}.${String(micros).padStart(6, '0')}Z`, epochMs: utcMs + Math.floor(micros / 1000) + 1 };
}

/** The dates from `from` to `to` (inclusive, `YYYY-MM-DD`) ending each step: every day, every Sunday-ending week or every month's last day, `to` last. */
export function stepDates(from: string, to: string, step: 'day' | 'week' | 'month'): string[] {
  const first = Date.parse(`${from}T00:00:00Z`);
  const last = Date.parse(`${to}T00:00:00Z`);
  const dates: string[] = [];
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let day = first; day <= last; day += DAY_MS) {
    const date = new Date(day);
    const ends =
      step === 'day' || (step === 'week' && date.getUTCDay() === 0) || (step === 'month' && new Date(day + DAY_MS).getUTCDate() === 1);
    if (ends || day === last) dates.push(iso(day));
  }
  return dates;
}
