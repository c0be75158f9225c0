import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const ACCEPTED_REQUEST_ID = /^[\w.-]{1,100}$/;

/** Every response carries a request id: the caller's when it sends a sane one, else a new one. */
export function requestId(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-request-id');
  const id = incoming && ACCEPTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  next();
}
