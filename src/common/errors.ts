import { HttpStatus } from '@nestjs/common';
import type { FieldError } from '../contracts/errors.js';

export type { FieldError } from '../contracts/errors.js';

/** One body for every error the API returns. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[] | Record<string, unknown>;
}

/** An error of the domain that the global filter maps to a 4xx, with optional details for the client. */
export class DomainError extends Error {
  constructor(
    readonly status: HttpStatus,
    message: string,
    readonly details?: ErrorBody['details'],
    /** Further top-level fields of the error body (an import's report rides along its 422). */
    readonly bodyFields?: Record<string, unknown>,
    /** Response headers that go with the error (`Retry-After` of a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new DomainError(HttpStatus.NOT_FOUND, `${what} ${id} not found`);
export const conflict = (message: string, details?: ErrorBody['details']) => new DomainError(HttpStatus.CONFLICT, message, details);
export const invalidField = (field: string, message: string, value?: unknown) =>
  new DomainError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, messages: [message], value }]);
