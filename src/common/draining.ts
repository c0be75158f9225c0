import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from './errors.js';

let draining = false;
const inFlight = new Set<Promise<void>>();

/**
 * Tracks requests in flight, and once draining has begun answers new ones with 503 and closes every connection
 * after its response, so a shutdown is neither held open by keep-alive nor cuts a request that was accepted.
 */
export function drainingGate(request: Request, response: Response, next: NextFunction): void {
  if (draining) {
    const body: ErrorBody = { statusCode: 503, error: 'Service Unavailable', message: 'The server is shutting down; retry' };
    response.setHeader('Connection', 'close');
    response.setHeader('Retry-After', '1');
    response.status(503).json(body);
    return;
  }
  const done = new Promise<void>((resolve) => response.once('close', resolve));
  inFlight.add(done);
  void done.then(() => inFlight.delete(done));
  response.once('finish', () => {
    if (draining) request.socket.end();
  });
  next();
}

/** Stops taking requests and waits (at most `timeoutMs`) for those in flight to be answered. */
export async function drainRequests(timeoutMs: number): Promise<void> {
  draining = true;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}
