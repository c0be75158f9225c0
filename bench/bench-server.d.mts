// Types of bench-server.mjs for the TypeScript benchmarks.
import type { ChildProcess } from 'node:child_process';

export const BENCH_POOL_SIZE: number;
export const BENCH_ADMIN: { email: string; password: string };

export interface ScratchDatabase {
  url: string;
  label: string;
  drop(): Promise<void>;
}

export function scratchDatabase(prefix: string): Promise<ScratchDatabase>;
export function startServer(options: {
  databaseUrl: string;
  port: number;
  env?: Record<string, string | undefined>;
  logFile?: string;
  nodeFlags?: string[];
}): Promise<ChildProcess>;
export function signIn(port: number, account?: { email: string; password: string }): Promise<{ authorization: string }>;
export function stopServer(server: ChildProcess | undefined): Promise<void>;
export function rebuildRollup(databaseUrl: string): Promise<string>;
