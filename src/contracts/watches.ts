import type { AcceleratorKind, CommitmentStatus } from '../domain/vocabulary.js';

/** What happened to a commitment in a write. */
export type CommitmentChangeKind = 'created' | 'updated' | 'superseded' | 'deleted';

/** A watch's dashboard filter; an empty one watches the whole ledger. */
export interface WatchFilter {
  companyId?: string[];
  vendor?: string[];
  kind?: AcceleratorKind[];
  status?: CommitmentStatus[];
}

/** `GET /api/watches` items, `POST /api/watches`. */
export interface WatchView {
  id: string;
  name: string;
  filter: WatchFilter;
  /** The filter's total H100e when the watch was last evaluated. */
  total: number;
  createdAt: Date;
}

/** `GET /api/notifications` items. */
export interface NotificationView {
  id: string;
  watchId: string;
  watchName: string;
  /** When the change that moved the total was written. */
  at: Date;
  commitmentId: string;
  change: CommitmentChangeKind;
  /** The changes one evaluation found (more than one when writes came close together); the newest is named. */
  changes: number;
  before: number;
  after: number;
  readAt: Date | null;
}
