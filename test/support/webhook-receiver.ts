import { createServer, type Server } from 'node:http';

/** A request the receiver got: its path, headers and raw body. */
export interface ReceivedHook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A local HTTP receiver for webhook deliveries, on 127.0.0.1. Each path answers with the statuses queued for it, in
 * order (then 200), so a test can make a receiver fail a number of times before it answers.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  /** Statuses a path answers with before it answers 200. */
  readonly failures = new Map<string, number[]>();
  private server: Server | null = null;
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = (request.url ?? '/').split('?')[0];
        this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.failures.get(path)?.shift() ?? 200;
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `failing with ${status}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  to(path: string): ReceivedHook[] {
    return this.received.filter((hook) => hook.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
