import { QueryFailedError } from 'typeorm';
import { conflict } from './errors.js';

/** Turns a unique-index violation into a 409 naming the field the index guards. */
export function rethrowUniqueViolation(error: unknown, fieldsByIndex: Record<string, string>): never {
  if (error instanceof QueryFailedError) {
    const { code, constraint } = error.driverError as { code?: string; constraint?: string };
    const field = constraint ? fieldsByIndex[constraint] : undefined;
    if (code === '23505' && field) {
      throw conflict(`${field} already exists`, [{ field, messages: [`${field} must be unique`] }]);
    }
  }
  throw error;
}
