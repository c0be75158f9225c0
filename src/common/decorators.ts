import { applyDecorators, BadRequestException, createParamDecorator, type ExecutionContext, Param, ParseUUIDPipe } from '@nestjs/common';
import type { Request } from 'express';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { parseMoment } from '../domain/moments.js';

/** A quarter the ledger can hold: `YYYY-Qn` from 1990 to 2100, like the dates it accepts. */
const LEDGER_QUARTER_PATTERN = /^(199\d|20\d\d|2100)-Q[1-4]$/;

/** A calendar quarter `YYYY-Qn` between 1990 and 2100. */
export function IsQuarter(options: { optional?: boolean; description?: string } = {}) {
  const documented = { type: String, example: '2024-Q4', pattern: LEDGER_QUARTER_PATTERN.source, description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(documented)] : [ApiProperty(documented)]),
    Matches(LEDGER_QUARTER_PATTERN, { message: '$property must be a quarter written YYYY-Qn (n = 1..4) between 1990 and 2100' }),
  );
}

/** A query list that repeats (`?status=a&status=b`) or takes commas (`?status=a,b`). */
export function QueryList() {
  return Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null || value === '') return undefined;
    const parts = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));
    return parts.map((part) => part.trim()).filter((part) => part.length > 0);
  });
}

/** A query boolean: only `true` and `false` are accepted. */
export function QueryBoolean() {
  return Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
}

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export function IdParam(name = 'id') {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new BadRequestException({ message: `${name} must be a UUID`, details: [{ field: name, messages: [`${name} must be a UUID`] }] }),
    }),
  );
}

/** The version an `If-Match` header carries (`"3"`, `W/"3"` or `3`); a malformed one is a 400. */
export const IfMatchVersion = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const header = context.switchToHttp().getRequest<Request>().header('if-match');
  if (header === undefined) return undefined;
  // A version, or a record's ETag (its version, then a digest of its view).
  const match = /^\s*(?:W\/)?"?(\d{1,9})(?:\.[\w-]{1,64})?"?\s*$/.exec(header);
  if (!match) {
    throw new BadRequestException({
      message: 'If-Match must carry the version, as the ETag header gave it',
      details: [{ field: 'If-Match', messages: ['must be an ETag such as "3"'] }],
    });
  }
  return Number(match[1]);
});

/** A page number query parameter, from 1 (the default). */
export function PageNumber() {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: '$property must be a whole number' }),
    Min(1),
    Max(1_000_000),
  );
}

/** A page size query parameter, 1 to 500 (default 50). */
export function PageSize() {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: '$property must be a whole number' }),
    Min(1),
    Max(500),
  );
}

/**
 * `asOf`: an ISO date (the end of that UTC day) or an ISO date-time (UTC where it names no offset); the answer is
 * the one the ledger gave at that moment.
 */
export function IsMoment(description: string) {
  return applyDecorators(
    IsOptional(),
    ApiPropertyOptional({ type: String, example: '2025-06-30', description }),
    ValidateBy({
      name: 'isMoment',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseMoment(value) !== null,
        defaultMessage: () => '$property must be an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm[:ss[.ffffff]][Z|±hh:mm])',
      },
    }),
  );
}
