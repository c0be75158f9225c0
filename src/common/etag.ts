import type { Response } from 'express';

/** Sets the ETag a later `If-Match` sends back: the record's version. */
export function withETag<T extends { version: number }>(response: Response, record: T): T {
  response.setHeader('ETag', `"${record.version}"`);
  return record;
}
