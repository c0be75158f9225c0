import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import countries from 'i18n-iso-countries/index.js';
import { isQuarter, quarterIndex } from '../domain/quarter.js';

/** The quarter in this property is not after the quarter in `otherProperty` (when both are quarters). */
export function IsQuarterNotAfter(otherProperty: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isQuarterNotAfter',
      target: target.constructor,
      propertyName,
      constraints: [otherProperty],
      options: { message: `$property must not be after ${otherProperty}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[otherProperty];
          if (!isQuarter(value) || !isQuarter(other)) return true;
          return quarterIndex(value) <= quarterIndex(other);
        },
      },
    });
}

/** A calendar date written `YYYY-MM-DD` that exists, within the years the ledger covers. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a date written YYYY-MM-DD between 1990 and 2100', ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const date = new Date(`${value}T00:00:00Z`);
          if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return false;
          const year = date.getUTCFullYear();
          return year >= 1990 && year <= 2100;
        },
      },
    });
}

/** An ISO 3166 alpha-2 country code that exists, in capitals (`US`, `DE`). */
export function IsCountryCode(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCountryCode',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an ISO 3166 alpha-2 country code such as US', ...options },
      validator: {
        validate(value: unknown) {
          return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && countries.isValid(value);
        },
      },
    });
}
