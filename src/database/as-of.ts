import type { DataSource, EntityManager } from 'typeorm';
import { type Moment, parseMoment } from '../domain/moments.js';

/**
 * Reading the ledger as it stood at a past moment. Inside one transaction on the primary, temporary tables named
 * `commitments` and `commitment_sources` are filled from the record versions valid at that moment
 * (`commitment_versions`, kept by record-versions.ts); PostgreSQL looks up temporary tables before the schema's, so
 * every query of the transaction that names those tables unqualified — the list, the export, the capacity reads —
 * reads the past ledger with the same SQL it uses for the present one. Companies and chips are read as they are now.
 * The tables are dropped at commit. See docs/decisions/as-of.md.
 */
export async function readAsOf<T>(
  dataSource: DataSource,
  moment: Moment,
  read: (manager: EntityManager, settled: boolean) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    const settled = await isSettled(manager, moment);
    await createAsOfTables(manager);
    await fillAsOf(manager, moment);
    await indexAsOfTables(manager);
    return read(manager, settled);
  });
}

/** Creates the (empty) temporary tables `commitments` and `commitment_sources` of an as-of read, dropped at commit. */
export async function createAsOfTables(manager: EntityManager): Promise<void> {
  await manager.query(
    `CREATE TEMPORARY TABLE commitments (LIKE public.commitments INCLUDING DEFAULTS) ON COMMIT DROP;
     CREATE TEMPORARY TABLE commitment_sources (LIKE public.commitment_sources INCLUDING DEFAULTS) ON COMMIT DROP`,
  );
}

/** The indexes the reads over the temporary tables use (made after a fill of every record, before fills of a few). */
export async function indexAsOfTables(manager: EntityManager): Promise<void> {
  await manager.query(
    `CREATE INDEX ON pg_temp.commitments (id);
     CREATE INDEX ON pg_temp.commitments (supersedes_id) WHERE supersedes_id IS NOT NULL;
     CREATE INDEX ON pg_temp.commitments (part_of_id) WHERE part_of_id IS NOT NULL;
     CREATE INDEX ON pg_temp.commitment_sources (commitment_id)`,
  );
}

/**
 * Fills the temporary tables (made by `createAsOfTables`, emptied first) with the versions valid at `moment`: of
 * every record, or only of the records `ids` names (drift reads the records a change touched, see capacity.service.ts).
 */
export async function fillAsOf(manager: EntityManager, moment: Moment, ids?: readonly string[]): Promise<void> {
  await manager.query('TRUNCATE pg_temp.commitments, pg_temp.commitment_sources');
  const only = ids === undefined ? '' : 'AND v.commitment_id = ANY($2::uuid[])';
  const parameters = ids === undefined ? [moment.at] : [moment.at, ids];
  await manager.query(
    `INSERT INTO pg_temp.commitments
     SELECT r.* FROM public.commitment_versions v, jsonb_populate_record(NULL::public.commitments, v.record) r
     WHERE v.valid_from <= $1::timestamptz AND (v.valid_to IS NULL OR v.valid_to > $1::timestamptz) ${only}`,
    parameters,
  );
  await manager.query(
    `INSERT INTO pg_temp.commitment_sources
     SELECT s.* FROM public.commitment_versions v, jsonb_populate_recordset(NULL::public.commitment_sources, v.sources) s
     WHERE v.valid_from <= $1::timestamptz AND (v.valid_to IS NULL OR v.valid_to > $1::timestamptz) ${only}`,
    parameters,
  );
  await manager.query('ANALYZE pg_temp.commitments; ANALYZE pg_temp.commitment_sources');
}

/**
 * Whether the ledger at `moment` can no longer change: a version carries its transaction's start time, so a moment
 * is settled once it is past and every transaction still open began after it (a transaction begun before it could
 * still commit versions valid from before it).
 */
async function isSettled(manager: EntityManager, moment: Moment): Promise<boolean> {
  const [row]: { settled: boolean }[] = await manager.query(
    `SELECT $1::timestamptz < least(now(), COALESCE(
       (SELECT min(xact_start) FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()), now())) AS settled`,
    [moment.at],
  );
  return row.settled;
}

/** The moment a query's `asOf` names, or null where it names none or one not yet past (answered as the ledger is now). */
export function pastMoment(asOf: string | undefined, now = Date.now()): Moment | null {
  if (asOf === undefined) return null;
  const moment = parseMoment(asOf);
  return moment !== null && moment.epochMs <= now ? moment : null;
}
