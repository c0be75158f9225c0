import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('HTTP');

/**
 * One structured line per request once its response is sent: request id, method, path (without the query
 * string), status, duration and user id. Bodies and headers are never logged, so neither are passwords or tokens.
 */
export function requestLog(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.once('finish', () => {
    logger.log({
      requestId: response.getHeader('x-request-id'),
      method: request.method,
      path: request.originalUrl.split('?')[0],
      status: response.statusCode,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      userId: request.user?.id ?? null,
    });
  });
  next();
}
