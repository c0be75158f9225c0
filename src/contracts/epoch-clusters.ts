/**
 * The answers of the Epoch AI clusters import routes, shared by the server and the web client. Type-only.
 */
import type { ImportError, ImportReport } from './import-report.js';

/**
 * The report of a clusters import: the announcements import's, over Epoch's rows (`rows`, `valid`, `errors` by the
 * line of Epoch's file) and the records they give (`records`, `created`, `updated`, `unchanged`), with the mapping's
 * warnings, the stored records a dry run's rows may repeat, and the data set's credit.
 */
export interface EpochClustersReport extends Omit<ImportReport, 'warnings'> {
  records: number;
  /** The mapping's warnings, by the line of Epoch's file. */
  warnings: ImportError[];
  /** In a dry run: the stored records the mapped records may repeat (by the line of the mapped table). */
  possibleDuplicates?: ImportReport['warnings'];
  credit: string;
}

/** One run of the scheduled import (EPOCH_CLUSTERS_URL). */
export interface EpochClustersRun {
  at: string;
  /** Where the file came from (without its query string, which may hold a key). */
  url: string;
  ok: boolean;
  report: EpochClustersReport | null;
  error: string | null;
}

/** `GET /api/imports/epoch-clusters/sync`: the setting, and the last run. */
export interface EpochClustersSyncStatus {
  /** Where the file is fetched from; null when EPOCH_CLUSTERS_URL is unset (no scheduled import). */
  url: string | null;
  everyHours: number;
  lastRun: EpochClustersRun | null;
  credit: string;
}
