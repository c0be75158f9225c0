import type { Commitment } from './api-types';

/** What happened to a company's commitment, as its records tell it. */
export type TimelineEventKind = 'announced' | 'revised' | 'delivered' | 'cancelled';

export interface TimelineEvent {
  kind: TimelineEventKind;
  /** A day (announced, revised, cancelled: when it was recorded) or, for a delivery, the window's last quarter. */
  when: string;
  record: Commitment;
}

/** One commitment through its revisions: the records of a supersession chain, oldest first, as one line of events. */
export interface TimelineLine {
  records: Commitment[];
  events: TimelineEvent[];
  /** The newest record of the chain: the one totals count (unless its status leaves it out). */
  current: Commitment;
}

const byAnnouncement = (a: Commitment, b: Commitment) => a.announcedOn.localeCompare(b.announcedOn) || a.id.localeCompare(b.id);

/**
 * A company's records as lines of events: each supersession chain among them is one line (announced, then revised
 * by each newer record, with a delivery or a cancellation where a record has that status), lines in the order of
 * their first announcement. A record revising one of another company starts a line of its own.
 */
export function companyTimeline(records: readonly Commitment[]): TimelineLine[] {
  const byId = new Map(records.map((record) => [record.id, record]));
  const roots = records.filter((record) => !record.supersedesId || !byId.has(record.supersedesId));
  const lines = [...roots].sort(byAnnouncement).map((root): TimelineLine => {
    const chain = [root];
    const seen = new Set([root.id]);
    for (let next = root.supersededById ? byId.get(root.supersededById) : undefined; next && !seen.has(next.id);) {
      chain.push(next);
      seen.add(next.id);
      next = next.supersededById ? byId.get(next.supersededById) : undefined;
    }
    const events = chain.flatMap((record, index): TimelineEvent[] => {
      const first: TimelineEvent = { kind: index === 0 ? 'announced' : 'revised', when: record.announcedOn, record };
      if (record.status === 'delivered') return [first, { kind: 'delivered', when: record.window.to, record }];
      if (record.status === 'cancelled') return [first, { kind: 'cancelled', when: record.updatedAt.slice(0, 10), record }];
      return [first];
    });
    return { records: chain, events, current: chain[chain.length - 1] };
  });
  return lines;
}

/** The sources of a company's records, each once (by URL, else title), newest publication first. */
export function companySources(records: readonly Commitment[]): { source: Commitment['sources'][number]; records: Commitment[] }[] {
  const found = new Map<string, { source: Commitment['sources'][number]; records: Commitment[] }>();
  for (const record of records) {
    for (const source of record.sources) {
      const key = source.url ?? `title:${source.title ?? ''}`;
      const entry = found.get(key);
      if (entry) {
        if (!entry.records.includes(record)) entry.records.push(record);
      } else found.set(key, { source, records: [record] });
    }
  }
  return [...found.values()].sort(
    (a, b) =>
      (b.source.publishedOn ?? '').localeCompare(a.source.publishedOn ?? '') || (a.source.title ?? '').localeCompare(b.source.title ?? ''),
  );
}
