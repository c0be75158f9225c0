import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from './errors.js';

const ACCEPTED_BODY_TYPES = /^(application\/json|text\/csv)\b/i;

/** A body-parser `verify` hook: bytes that are not UTF-8 are a 400, not text quietly mangled into U+FFFD. */
export function rejectInvalidUtf8(_request: IncomingMessage, _response: unknown, body: Buffer): void {
  if (!isUtf8(body)) {
    throw Object.assign(new Error('The body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
  }
}

/** A body in a format no route reads (XML, form data …) is a 415 naming Content-Type, before any route sees it. */
export function rejectUnreadableBodyTypes(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  const type = request.headers['content-type'];
  if (hasBody && (!type || !ACCEPTED_BODY_TYPES.test(type))) {
    const body: ErrorBody = {
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `Content-Type ${type ?? '(none)'} is not accepted: send application/json (or text/csv to /api/imports)`,
      details: [{ field: 'Content-Type', messages: ['must be application/json or text/csv'], value: type ?? null }],
    };
    // Read off the upload before answering, or the client sees a reset instead of the 415.
    request.resume();
    response.status(415).json(body);
    return;
  }
  next();
}
