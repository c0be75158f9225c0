// Types of synthetic-ledger.mjs for the TypeScript benchmarks.
import type pg from 'pg';

export class SyntheticLedger {
  constructor(chips: { id: string; kind: string }[], companyCount?: number, seed?: number);
  companies: { id: string; name: string; kind: string }[];
}

export function insertCompanies(pool: pg.Pool, ledger: SyntheticLedger): Promise<void>;
export function insertCommitments(pool: pg.Pool, ledger: SyntheticLedger, count: number): Promise<void>;
export function settleAfterLoad(pool: pg.Pool): Promise<void>;
