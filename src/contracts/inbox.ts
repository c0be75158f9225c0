import type { Candidate } from '../domain/extraction/types.js';
import type { InboxStatus } from '../domain/vocabulary.js';

/** Where an item's text was read: the feed's content, the linked page, or (the page unreadable) the feed's summary. */
export type TextFrom = 'feed' | 'page' | 'summary';

export interface FeedView {
  id: string;
  url: string;
  name: string;
  createdAt: Date;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  /** Why the last poll failed; null once a poll succeeds. */
  lastError: string | null;
  /** Failed polls in a row. */
  failures: number;
  /** Items waiting for review. */
  newItems: number;
}

export interface PollResult {
  feed: FeedView;
  /** Items read and kept by this poll. */
  added: number;
  /** False when another instance was polling the feed at the time: this call did nothing. */
  polled: boolean;
}

/** A candidate as the inbox proposes it: the extraction's, with the stored records it may repeat. */
export type ProposedCandidate = Candidate & { possibleDuplicates: string[] };

/** Another item telling the same announcement: the proposal's second (third …) source. */
export interface ItemSource {
  itemId: string;
  feedId: string;
  feedName: string;
  url: string | null;
  title: string | null;
  publishedOn: string;
  language: string;
}

export interface InboxItemView {
  id: string;
  feedId: string;
  feedName: string;
  status: InboxStatus;
  url: string | null;
  title: string | null;
  publishedOn: string;
  language: string;
  /** Where the text was read: the feed's content, the linked page, or (the page unreadable) the feed's summary. */
  textFrom: TextFrom;
  text: string;
  readError: string | null;
  notice: string | null;
  candidates: ProposedCandidate[];
  /** Stored records that the candidates may repeat (every candidate's, once each). */
  possibleDuplicates: string[];
  /** The item itself, then the items of other outlets merged into it. */
  sources: ItemSource[];
  /** The records accepting it created. */
  acceptedIds: string[];
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
}
