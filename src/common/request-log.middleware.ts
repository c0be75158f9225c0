import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { ServiceLogger } from './logger.js';

/**
 * One line per request once its response is sent (or the client went away: "request aborted"): request id,
 * method, path (without the query string), status, duration in ms and user id. Bodies and headers are never logged,
 * so neither are passwords or tokens. Nothing at all when the level leaves out `log`.
 */
export function requestLog(logger: ServiceLogger): RequestHandler {
  if (!logger.pino.isLevelEnabled('info')) return (_request: Request, _response: Response, next: NextFunction) => next();
  const fields = (request: Request, response: Response, { durationMs }: { durationMs: number }) => ({
    method: request.method,
    path: request.originalUrl.split('?')[0],
    status: response.statusCode,
    durationMs,
    userId: request.user?.id ?? null,
  });
  return pinoHttp({
    logger: logger.pino.child({ context: 'HTTP' }),
    // The id the request-id middleware chose (the caller's, or a new one).
    genReqId: (_request, response) => response.getHeader('x-request-id') as string,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    // The request is bound to a child logger that no line here uses: it is left out, headers and all.
    serializers: { req: () => undefined },
    customSuccessObject: fields,
    customErrorObject: (request, response, _error, values: { durationMs: number }) => fields(request, response, values),
  }) as RequestHandler;
}
