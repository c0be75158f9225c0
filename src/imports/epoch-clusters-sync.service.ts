import { HttpStatus, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUtf8 } from 'node:buffer';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { Environment } from '../config/environment.js';
import { EPOCH_CLUSTERS_CREDIT } from '../domain/epoch/credit.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, safeFetch } from '../inbox/safe-fetch.js';
import { JobsService } from '../jobs/jobs.service.js';
import { EpochClustersImportService } from './epoch-clusters-import.service.js';
import type { EpochClustersReport, EpochClustersRun, EpochClustersSyncStatus } from '../contracts/epoch-clusters.js';

export const EPOCH_CLUSTERS_QUEUE = 'epoch.clusters.sync';
const SCHEDULE = 'epoch-clusters';
/** A fetch and import must end well within the job's lease. */
const FETCH_TIMEOUT_MS = 60_000;

/**
 * Keeps the ledger in step with Epoch AI's GPU Clusters data set: with EPOCH_CLUSTERS_URL set, a schedule in the jobs
 * tables fetches the file every EPOCH_CLUSTERS_EVERY_HOURS (once per deployment, whatever the number of instances)
 * and imports it as `POST /api/imports/epoch-clusters` does, dated by the answer's Last-Modified (else the day of the
 * run). Each run is kept with its report or its error; the import page shows the last.
 */
@Injectable()
export class EpochClustersSyncService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(EpochClustersSyncService.name);
  private readonly limits: FetchLimits;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: Environment,
    private readonly jobs: JobsService,
    private readonly clusters: EpochClustersImportService,
  ) {
    this.limits = {
      ...DEFAULT_FETCH_LIMITS,
      maxBytes: environment.IMPORT_MAX_BYTES,
      timeoutMs: FETCH_TIMEOUT_MS,
      allowPrivateAddresses: environment.FEED_ALLOW_PRIVATE_ADDRESSES,
    };
  }

  onModuleInit(): void {
    this.jobs.register(EPOCH_CLUSTERS_QUEUE, () => this.runOnce().then(() => undefined));
  }

  /** Brings the schedule to the setting: a change of EPOCH_CLUSTERS_URL or its period applies at start. */
  async onApplicationBootstrap(): Promise<void> {
    const manager = this.dataSource.manager;
    if (this.environment.EPOCH_CLUSTERS_URL) {
      await this.jobs.schedule(manager, SCHEDULE, EPOCH_CLUSTERS_QUEUE, {}, this.environment.EPOCH_CLUSTERS_EVERY_HOURS * 3600);
    } else await this.jobs.unschedule(manager, SCHEDULE);
  }

  async status(): Promise<EpochClustersSyncStatus> {
    const url = this.environment.EPOCH_CLUSTERS_URL;
    return {
      url: url ? shown(url) : null,
      everyHours: this.environment.EPOCH_CLUSTERS_EVERY_HOURS,
      lastRun: await this.lastRun(),
      credit: EPOCH_CLUSTERS_CREDIT,
    };
  }

  /** Fetches and imports the file now (`POST …/sync`, and the scheduled job); the run as it is kept. */
  async runOnce(): Promise<EpochClustersRun> {
    const url = this.environment.EPOCH_CLUSTERS_URL;
    if (!url) throw new DomainError(HttpStatus.CONFLICT, 'EPOCH_CLUSTERS_URL is not set: there is no file to fetch');
    let run: Omit<EpochClustersRun, 'at'>;
    try {
      const fetched = await safeFetch(url, this.limits, { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1' });
      if (fetched.status !== 200) throw new Error(`${shown(url)} answered ${fetched.status}`);
      if (!isUtf8(fetched.body)) throw new Error(`${shown(url)} did not answer UTF-8 text`);
      const modified = Date.parse(String(fetched.headers['last-modified'] ?? ''));
      const publishedOn = new Date(Number.isNaN(modified) ? Date.now() : modified).toISOString().slice(0, 10);
      const report = await this.clusters.importCsv(fetched.body.toString('utf8'), { dryRun: false, publishedOn, actorId: null });
      run = { url: shown(url), ok: true, report, error: null };
    } catch (error) {
      const report = error instanceof DomainError && error.bodyFields ? (error.bodyFields as unknown as EpochClustersReport) : null;
      run = { url: shown(url), ok: false, report, error: error instanceof Error ? error.message : String(error) };
      this.logger.warn(`Epoch AI clusters import from ${run.url} failed: ${run.error}`);
    }
    const [{ at }]: { at: Date }[] = await this.dataSource.query(
      'INSERT INTO epoch_clusters_runs (url, ok, report, error) VALUES ($1, $2, $3::jsonb, $4) RETURNING at',
      [run.url, run.ok, run.report === null ? null : JSON.stringify(run.report), run.error],
    );
    return { at: at.toISOString(), ...run };
  }

  private async lastRun(): Promise<EpochClustersRun | null> {
    const [row]: { at: Date; url: string; ok: boolean; report: EpochClustersReport | null; error: string | null }[] =
      await this.dataSource.query('SELECT at, url, ok, report, error FROM epoch_clusters_runs ORDER BY at DESC, id DESC LIMIT 1');
    return row ? { ...row, at: row.at.toISOString() } : null;
  }
}

/** The URL without its query string or credentials, which may hold a key. */
function shown(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
