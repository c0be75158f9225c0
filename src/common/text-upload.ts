import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { isUtf8 } from 'node:buffer';
import { DomainError } from './errors.js';

/**
 * The body of a `Content-Type: text/csv` upload as text, read whole (for files of a few hundred KB, such as Epoch
 * AI's lists): 415 for another type, a charset other than UTF-8 or bytes that are not UTF-8 text; 413 past
 * `maxBytes`. What is left of a refused upload is read off first, so that the client sees the answer, not a reset.
 */
export async function readCsvUpload(request: Request, maxBytes: number): Promise<string> {
  const type = request.header('content-type');
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(type ?? '')?.[1];
  if (!request.is('text/csv') || (charset && !/^utf-?8$/i.test(charset))) {
    await readOff(request);
    throw new DomainError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      `This takes a CSV file sent as Content-Type: text/csv (UTF-8), not ${type ?? 'a body without a type'}`,
    );
  }
  const tooLarge = new DomainError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    `The file is larger than the ${maxBytes} bytes an import accepts (IMPORT_MAX_BYTES)`,
  );
  if (Number(request.header('content-length') ?? 0) > maxBytes) {
    await readOff(request);
    throw tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      await readOff(request);
      throw tooLarge;
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  if (!isUtf8(body) || body.includes(0))
    throw new DomainError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'The file is not CSV: it is not UTF-8 text');
  return body.toString('utf8');
}

function readOff(request: Request): Promise<void> {
  return new Promise((resolve) => {
    if (request.readableEnded || request.destroyed) return resolve();
    request.once('end', resolve);
    request.once('close', resolve);
    request.once('error', () => resolve());
    request.resume();
  });
}
