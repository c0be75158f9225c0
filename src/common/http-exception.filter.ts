import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { DomainError, type ErrorBody } from './errors.js';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
]);

// TypeORM's errors for a connection that died under a query or a transaction.
const LOST_CONNECTION_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
  'ConnectionIsNotSetError',
]);

/** Whether an error means the database could not be reached (or the connection died), not that the request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (LOST_CONNECTION_ERRORS.has(error.name) || LOST_CONNECTION_ERRORS.has(error.constructor.name)) return true;
  const driverError = (error as { driverError?: { code?: string; message?: string } }).driverError;
  const code = (error as { code?: string }).code ?? driverError?.code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|the database system is (starting up|shutting down|in recovery mode)/i.test(
    `${error.message} ${driverError?.message ?? ''}`,
  );
}

/** Named checks of the schema: the field each guards, and what it asks for. */
const CHECKS: Record<string, { field: string; message: string }> = {
  commitments_window_ordered: { field: 'deliveryFrom', message: 'deliveryFrom must not be after deliveryBy' },
  commitments_effective_window_ordered: { field: 'deliveryFrom', message: 'deliveryFrom must not be after deliveryBy' },
  commitments_qualifier_needs_quantity: { field: 'quantityQualifier', message: 'quantityQualifier needs a quantity' },
  commitments_not_self_superseding: { field: 'supersedesId', message: 'a commitment cannot supersede itself' },
  commitment_sources_url_or_title: { field: 'sources', message: 'each source needs a url or a title' },
};

const camelCase = (column: string) => column.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * The API field a failed constraint is about, from what PostgreSQL reports (never the constraint's name): the column
 * of a NOT NULL, the key columns of a unique or foreign key ("Key (company_id)=(…)"), the column of an unnamed check
 * (`<table>_<column>_check`), or a named check of the schema.
 */
export function constraintField(driverError: { constraint?: string; column?: string; detail?: string; table?: string }): string | null {
  if (driverError.column) return camelCase(driverError.column);
  const key = /^Key \((.+?)\)=\(/.exec(driverError.detail ?? '');
  if (key) {
    const columns = key[1].split(',').map((column) => column.trim().replace(/^lower\((.*)\)$/i, '$1'));
    return camelCase(columns.filter((column) => /^[a-z_][a-z0-9_]*$/.test(column)).at(-1) ?? columns[0]);
  }
  const constraint = driverError.constraint ?? '';
  if (CHECKS[constraint]) return CHECKS[constraint].field;
  const unnamed = new RegExp(`^${driverError.table ?? '[a-z_]+'}_([a-z0-9_]+)_check$`).exec(constraint);
  return unnamed ? camelCase(unnamed[1]) : null;
}

/**
 * Database constraint failures that a client's input can cause, mapped to the 4xx they deserve and naming the field;
 * the database's own names for its constraints stay in the log.
 */
function mapQueryFailure(error: QueryFailedError): ErrorBody | null {
  const driverError = error.driverError as { code?: string; constraint?: string; column?: string; detail?: string; table?: string };
  const field = constraintField(driverError) ?? 'value';
  const failure = (statusCode: number, message: string): ErrorBody => ({
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: `${field}: ${message}`,
    details: [{ field, messages: [message] }],
  });
  switch (driverError.code) {
    case '23505':
      return failure(409, `${field} already exists`);
    case '23503':
      return failure(409, `${field} refers to a record that does not exist, or is still referred to`);
    case '23514':
      return failure(400, CHECKS[driverError.constraint ?? '']?.message ?? `${field} is outside the values allowed`);
    case '23502':
      return failure(400, `${field} is required`);
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
      return { statusCode: 400, error: 'Bad Request', message: 'A value is out of range or malformed' };
    default:
      return null;
  }
}

/** The error body the API answers for any failure. */
export function bodyOf(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    return {
      ...exception.bodyFields,
      statusCode: exception.status,
      error: STATUS_CODES[exception.status] ?? 'Error',
      message: exception.message,
      details: exception.details,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const payload = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
    const message = Array.isArray(payload.message) ? payload.message.join('; ') : String(payload.message ?? exception.message);
    return {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
      ...(payload.details ? { details: payload.details as ErrorBody['details'] } : {}),
    };
  }
  if (isDatabaseUnavailable(exception)) {
    return { statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; try again shortly' };
  }
  if (exception instanceof QueryFailedError) {
    const mapped = mapQueryFailure(exception);
    if (mapped) return mapped;
  }
  const parserStatus = (exception as { status?: number; type?: string })?.status;
  if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500) {
    return { statusCode: parserStatus, error: STATUS_CODES[parserStatus] ?? 'Error', message: 'The request body could not be read' };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Unexpected error; the request id identifies it in the logs' };
}

/** Turns every failure into the one JSON error body; internals of unexpected errors stay in the log. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    const body = bodyOf(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.warn(
        `${request.method} ${request.originalUrl}: database unavailable (${exception instanceof Error ? exception.message : String(exception)})`,
      );
    } else if (body.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.error(
        `${request.method} ${request.originalUrl} failed (request ${String(response.getHeader('x-request-id') ?? '-')})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '5');
    if (exception instanceof DomainError && exception.headers) response.set(exception.headers);
    response.status(body.statusCode).json(body);
  }
}
