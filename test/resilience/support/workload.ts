import { sleep } from './app-process.js';

export interface Outcome {
  status: number | 'network';
  ms: number;
}

/** What a workload saw: every status by count, latencies, and the writes the server acknowledged. */
export class Tally {
  readonly statuses = new Map<string, number>();
  readonly latencies: number[] = [];
  readonly acknowledged: string[] = [];

  record(outcome: Outcome): void {
    const key = String(outcome.status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    this.latencies.push(outcome.ms);
  }

  count(predicate: (status: string) => boolean): number {
    let total = 0;
    for (const [status, count] of this.statuses) if (predicate(status)) total += count;
    return total;
  }

  get requests(): number {
    return this.latencies.length;
  }

  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  summary(): string {
    return [...this.statuses.entries()].map(([status, count]) => `${status}×${count}`).join(' ');
  }
}

export async function timedFetch(url: string, init?: RequestInit): Promise<Outcome & { body: unknown }> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, ms: performance.now() - started, body };
  } catch {
    return { status: 'network', ms: performance.now() - started, body: null };
  }
}

/** Runs `connections` loops of `step` until `stop()` turns true. */
export async function runLoops(connections: number, step: (loop: number, iteration: number) => Promise<void>, stop: () => boolean) {
  await Promise.all(
    Array.from({ length: connections }, async (_, loop) => {
      for (let iteration = 0; !stop(); iteration++) {
        await step(loop, iteration);
        if (iteration % 50 === 49) await sleep(0);
      }
    }),
  );
}
