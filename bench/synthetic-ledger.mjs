// A deterministic synthetic ledger for the benchmarks: a few hundred companies of uneven size, each buying a few
// chips of the catalog (the whole catalog is used), windows of 1–8 quarters, mixed statuses, some revisions,
// undisclosed quantities, stated figures and deleted records, with a history: the records were entered over the
// HISTORY_DAYS before the seeding, in order, about EDITED_SHARE of them had their amount edited once or twice since,
// and the deleted ones were deleted after their last edit. Their versions (`commitment_versions`) say so.
import { randomUUID } from 'node:crypto';
import { deliveryWindow } from '../dist/src/domain/delivery-window.js';
import { quarterFromIndex } from '../dist/src/domain/quarter.js';

const STATUSES = [
  ['announced', 0.35],
  ['confirmed', 0.25],
  ['delivered', 0.15],
  ['rumored', 0.15],
  ['cancelled', 0.1],
];
const COMPANY_KINDS = ['hyperscaler', 'ai_lab', 'neocloud', 'sovereign', 'enterprise', 'other'];
/** The days over which the records were entered, ending at the seeding. */
export const HISTORY_DAYS = 180;
/** The share of the records with an amount (a quantity or a stated figure) edited since they were entered. */
const EDITED_SHARE = 0.15;
const DAY_MS = 86_400_000;

/** mulberry32: the same sequence on every run. */
export function randomSequence(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SyntheticLedger {
  /** @param chips {{id: string, kind: string}[]} the catalog */
  constructor(chips, companyCount = 300, seed = 20241126) {
    this.next = randomSequence(seed);
    // The history draws from a sequence of its own, so the ledger as it stands is the same with or without it.
    this.nextInHistory = randomSequence(seed ^ 0x5bd1e995);
    this.entered = 0;
    this.companies = Array.from({ length: companyCount }, (_, index) => ({
      id: randomUUID(),
      name: `Bench company ${String(index + 1).padStart(3, '0')}`,
      kind: COMPANY_KINDS[index % COMPANY_KINDS.length],
      // A portfolio of 2–6 chips; chip i of the catalog is picked by company i first, so every chip is used.
      chips: [chips[index % chips.length], ...Array.from({ length: 1 + Math.floor(this.next() * 5) }, () => this.pick(chips))],
      latestLive: null,
    }));
  }

  pick(list) {
    // Skewed towards the start of the list, as real demand is towards a few chips and a few buyers.
    return list[Math.floor(list.length * this.next() ** 2)];
  }

  weighted(choices) {
    let roll = this.next();
    for (const [value, weight] of choices) if ((roll -= weight) < 0) return value;
    return choices[choices.length - 1][0];
  }

  /** The next `count` commitments as columns, ready for an INSERT … SELECT FROM unnest(…). */
  batch(count) {
    const columns = {
      id: [],
      company_id: [],
      accelerator_id: [],
      accelerator_kind: [],
      quantity: [],
      quantity_qualifier: [],
      stated_h100e: [],
      stated_power_mw: [],
      announced_on: [],
      delivery_from: [],
      delivery_by: [],
      window_first_quarter: [],
      window_last_quarter: [],
      status: [],
      certainty: [],
      supersedes_id: [],
      deleted_at: [],
    };
    for (let index = 0; index < count; index++) {
      const next = this.next;
      const company = this.pick(this.companies);
      const chip = next() < 0.03 ? null : company.chips[Math.floor(next() * company.chips.length)];
      const year = 2021 + Math.floor(next() * 7);
      const month = 1 + Math.floor(next() * 12);
      const announcedOn = `${year}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
      const announced = year * 4 + Math.floor((month - 1) / 3);
      const span = Math.floor(next() * 8);
      const shape = next();
      let deliveryFrom = null;
      let deliveryBy = null;
      if (shape < 0.5) deliveryBy = quarterFromIndex(announced + span);
      else if (shape < 0.8) {
        const from = announced + Math.floor(next() * 3);
        deliveryFrom = quarterFromIndex(from);
        deliveryBy = quarterFromIndex(from + span);
      } else if (shape < 0.9) deliveryBy = quarterFromIndex(announced - 1 - Math.floor(next() * 2));
      const window = deliveryWindow({ announcedOn, deliveryFrom, deliveryBy });
      const quantity = next() < 0.08 ? null : 100 + Math.floor(next() * 50_000);
      const status = this.weighted(STATUSES);
      const deleted = next() < 0.01;
      const id = randomUUID();
      let supersedesId = null;
      if (!deleted && company.latestLive && next() < 0.03) supersedesId = company.latestLive;
      if (!deleted) company.latestLive = id;

      columns.id.push(id);
      columns.company_id.push(company.id);
      columns.accelerator_id.push(chip?.id ?? null);
      columns.accelerator_kind.push(chip?.kind ?? (next() < 0.5 ? 'gpu' : 'custom'));
      columns.quantity.push(quantity);
      columns.quantity_qualifier.push(quantity === null ? null : next() < 0.7 ? 'exact' : 'approximate');
      columns.stated_h100e.push(next() < 0.03 ? Math.round(next() * 1e7) / 100 + 1 : null);
      columns.stated_power_mw.push(next() < 0.02 ? Math.round(next() * 1e5) / 100 + 1 : null);
      columns.announced_on.push(announcedOn);
      columns.delivery_from.push(deliveryFrom);
      columns.delivery_by.push(deliveryBy);
      columns.window_first_quarter.push(window.first);
      columns.window_last_quarter.push(window.last);
      columns.status.push(status);
      columns.certainty.push('likely');
      columns.supersedes_id.push(supersedesId);
      columns.deleted_at.push(deleted ? new Date().toISOString() : null);
    }
    return columns;
  }

  /**
   * The history of a batch from `batch()`, of a ledger of `total` records entered in order over the HISTORY_DAYS
   * before `until` (ms): each record's `created_at`, `updated_at` and `version`, its deletion's time (replacing
   * `deleted_at`), and its earlier versions, each with the amount it had then and the moment it ended (the edit).
   */
  history(columns, total, until) {
    const next = this.nextInHistory;
    const start = until - HISTORY_DAYS * DAY_MS;
    const span = until - start;
    const times = { created_at: [], updated_at: [], version: [] };
    const earlier = { commitment_id: [], valid_from: [], valid_to: [], version: [], quantity: [], stated_h100e: [] };
    const iso = (ms) => new Date(ms).toISOString();
    columns.id.forEach((id, index) => {
      const created = start + ((this.entered++ + next()) / total) * span;
      const quantity = columns.quantity[index];
      const stated = columns.stated_h100e[index];
      const editable = quantity !== null || stated !== null;
      const edits = editable && next() < EDITED_SHARE ? (next() < 0.7 ? 1 : 2) : 0;
      const editedAt = Array.from({ length: edits }, () => created + next() * (until - created)).sort((a, b) => a - b);
      let from = created;
      editedAt.forEach((at, edit) => {
        // What the amount was before this edit: the current one scaled by a half to one and a half.
        const factor = 0.5 + next();
        earlier.commitment_id.push(id);
        earlier.valid_from.push(iso(from));
        earlier.valid_to.push(iso(at));
        earlier.version.push(edit + 1);
        earlier.quantity.push(quantity === null ? null : Math.max(1, Math.round(quantity * factor)));
        earlier.stated_h100e.push(stated === null ? null : Math.round(stated * factor * 100) / 100);
        from = at;
      });
      times.created_at.push(iso(created));
      times.updated_at.push(iso(from));
      times.version.push(edits + 1);
      if (columns.deleted_at[index] !== null) columns.deleted_at[index] = iso(from + next() * (until - from));
    });
    return { times, earlier };
  }
}

/** Rows per multi-row INSERT. */
const BATCH = 10_000;

/** Inserts the ledger's companies. */
export async function insertCompanies(pool, ledger) {
  const { companies } = ledger;
  await pool.query(
    `INSERT INTO companies (id, name, kind, version) SELECT id, name, kind::company_kind, 1 FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, name, kind)`,
    [companies.map((c) => c.id), companies.map((c) => c.name), companies.map((c) => c.kind)],
  );
}

/**
 * Inserts the ledger's next `count` commitments, BATCH rows per statement, and their versions: a history of `count`
 * records entered over the HISTORY_DAYS before `until` (ms, default now). The rollup is left to `rebuildRollup`.
 */
export async function insertCommitments(pool, ledger, count, until = Date.now()) {
  for (let done = 0; done < count; done += BATCH) {
    const c = ledger.batch(Math.min(BATCH, count - done));
    const { times, earlier } = ledger.history(c, count, until);
    await pool.query(
      `INSERT INTO commitments (id, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier, stated_h100e, stated_power_mw,
         announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter, status, certainty, supersedes_id, deleted_at,
         created_at, updated_at, version)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::accelerator_kind[], $5::integer[], $6::quantity_qualifier[], $7::float8[],
         $8::float8[], $9::date[], $10::text[], $11::text[], $12::integer[], $13::integer[], $14::commitment_status[], $15::certainty[],
         $16::uuid[], $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::integer[])`,
      [
        c.id,
        c.company_id,
        c.accelerator_id,
        c.accelerator_kind,
        c.quantity,
        c.quantity_qualifier,
        c.stated_h100e,
        c.stated_power_mw,
        c.announced_on,
        c.delivery_from,
        c.delivery_by,
        c.window_first_quarter,
        c.window_last_quarter,
        c.status,
        c.certainty,
        c.supersedes_id,
        c.deleted_at,
        times.created_at,
        times.updated_at,
        times.version,
      ],
    );
    // The current version of each record, as `recordVersions` writes it: the row since its last edit, ended by its
    // deletion (a deleted record's last version is its row before the deletion).
    await pool.query(
      `INSERT INTO commitment_versions (commitment_id, valid_from, valid_to, record, sources)
       SELECT c.id, c.updated_at, c.deleted_at,
         CASE WHEN c.deleted_at IS NULL THEN to_jsonb(c) ELSE to_jsonb(c) || jsonb_build_object('deleted_at', NULL) END, '[]'
       FROM commitments c WHERE c.id = ANY($1::uuid[])`,
      [c.id],
    );
    // The versions before each edit: the row with the amount and version it had then.
    await pool.query(
      `INSERT INTO commitment_versions (commitment_id, valid_from, valid_to, record, sources)
       SELECT e.commitment_id, e.valid_from, e.valid_to,
         to_jsonb(c) || jsonb_build_object('quantity', e.quantity, 'stated_h100e', e.stated_h100e, 'version', e.version,
           'updated_at', e.valid_from, 'deleted_at', NULL),
         '[]'
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::integer[], $5::integer[], $6::float8[])
         AS e(commitment_id, valid_from, valid_to, version, quantity, stated_h100e)
       JOIN commitments c ON c.id = e.commitment_id`,
      [earlier.commitment_id, earlier.valid_from, earlier.valid_to, earlier.version, earlier.quantity, earlier.stated_h100e],
    );
  }
}

/**
 * What autovacuum does soon after a bulk load, done at once so measurements start from the state a running server
 * is in: planner statistics for the new rows, and visibility maps that let counts use index-only scans.
 */
export async function settleAfterLoad(pool) {
  await pool.query('VACUUM (ANALYZE) commitments, commitment_sources, commitment_versions, companies, capacity_rollup');
}
