/** A record whose version began or ended on a day (YYYY-MM-DD, UTC). */
export interface RecordChange {
  id: string;
  day: string;
}

/** A version of a record: its record, and the UTC days it began and ended on. */
export interface VersionSpan {
  id: string;
  /** The day the version began (YYYY-MM-DD, UTC). */
  fromDay: string;
  /** The day it ended; null while current. */
  toDay: string | null;
}

/** A version that links its record to another: by `supersedes_id` or `part_of_id`. */
export interface LinkSpan extends VersionSpan {
  linked: string;
}

/**
 * The changes of a period, by day, and the links between records over it. A record counts in the capacity figures
 * against other records only through links (a revision and what it supersedes, a part and its whole, a whole and
 * its chain), so the records changed between two dates, closed over the links that stood at some moment between
 * the ends of those dates, are a set whose figures change exactly as the whole ledger's do.
 */
export class DriftHistory {
  private readonly days: string[];
  private readonly changesByDay = new Map<string, Set<string>>();
  private readonly links = new Map<string, LinkSpan[]>();

  constructor(changes: Iterable<RecordChange>, links: Iterable<LinkSpan>) {
    const touch = (day: string, id: string) => {
      let ids = this.changesByDay.get(day);
      if (!ids) this.changesByDay.set(day, (ids = new Set()));
      ids.add(id);
    };
    for (const change of changes) touch(change.day, change.id);
    this.days = [...this.changesByDay.keys()].sort();
    for (const link of links) {
      for (const [from, to] of [
        [link.id, link.linked],
        [link.linked, link.id],
      ]) {
        let list = this.links.get(from);
        if (!list) this.links.set(from, (list = []));
        list.push({ ...link, id: from, linked: to });
      }
    }
  }

  /** The records with a version that began or ended on a day after `previous` and up to `date`, in no order. */
  changedBetween(previous: string, date: string): string[] {
    const ids = new Set<string>();
    let index = lowerBound(this.days, previous);
    if (this.days[index] === previous) index++;
    for (; index < this.days.length && this.days[index] <= date; index++) {
      for (const id of this.changesByDay.get(this.days[index])!) ids.add(id);
    }
    return [...ids];
  }

  /**
   * `ids` and every record reached from them over links of versions that stood at some moment from the end of
   * `previous` to the end of `date`, both ways and transitively.
   */
  closure(ids: readonly string[], previous: string, date: string): string[] {
    const reached = new Set(ids);
    const pending = [...ids];
    while (pending.length > 0) {
      const id = pending.pop()!;
      for (const link of this.links.get(id) ?? []) {
        if (reached.has(link.linked) || link.fromDay > date || (link.toDay !== null && link.toDay <= previous)) continue;
        reached.add(link.linked);
        pending.push(link.linked);
      }
    }
    return [...reached];
  }
}

/** The first position whose value is not below `value` in a sorted list. */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
