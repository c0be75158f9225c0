import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage, type MetadataStorage, type ValidationArguments, ValidationTypes } from 'class-validator';
import type { FieldError } from './errors.js';

/** class-validator's nested errors as one list of fields (`sources[0].url`) with their messages. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = fieldName(prefix, error.property);
    const own: FieldError[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** `sources[0].url`: a property under its parent, array indexes in brackets. */
function fieldName(prefix: string, property: string): string {
  return prefix ? (/^\d+$/.test(property) ? `${prefix}[${property}]` : `${prefix}.${property}`) : property;
}

/** The one validation pipe: strips nothing silently, rejects unknown fields, names every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = fieldErrors(errors);
      return new BadRequestException({
        message: `Invalid ${details.map((detail) => detail.field).join(', ')}`,
        details,
      });
    },
  });
}

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type ConstraintMetadata = ReturnType<MetadataStorage['getTargetValidatorConstraints']>[number];

interface Check {
  metadata: ValidationMetadata;
  /** The constraint classes' instances, resolved once (class-validator's container hands out one per class). */
  constraints: { name: string; instance: ConstraintMetadata['instance'] }[];
}

interface PropertyChecks {
  property: string;
  defined: Check[];
  custom: Check[];
  nested: ValidationMetadata[];
  conditions: ((object: object, value: unknown) => boolean)[];
}

interface ClassChecks {
  /** The class's name, as checks and messages see it (`$target`). */
  targetName: string;
  /** The metadata by property, as the executor's whitelist looks properties up in it. */
  grouped: Record<string, ValidationMetadata[]>;
  properties: PropertyChecks[];
}

const SUPPORTED_TYPES: ReadonlySet<string> = new Set([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

/**
 * The validation pipe's verdict on a class instance — `fieldErrors(validateSync(object, {whitelist: true,
 * forbidNonWhitelisted: true}))`, the same fields and messages in the same order — from the class's decorators read
 * once, for a bulk import that validates the same DTO a hundred thousand times: class-validator looks its metadata up
 * again on every call, which costs several times the checks themselves. The rules stay the DTO's decorators;
 * this only runs them. Synchronous checks only: a class whose decorators need more (async or promise validation) is
 * refused when first validated. `validation.spec.ts` holds it to validateSync on generated input.
 */
export function validateInstance(object: object): FieldError[] {
  const errors: FieldError[] = [];
  execute(object, undefined, '', errors);
  return errors;
}

/** By class, then by the schema name a nested validation passes along (the parent class's name). */
const compiled = new Map<unknown, Map<string | undefined, ClassChecks>>();

function checksOf(type: unknown, schema: string | undefined): ClassChecks {
  let bySchema = compiled.get(type);
  if (!bySchema) compiled.set(type, (bySchema = new Map()));
  let checks = bySchema.get(schema);
  if (!checks) bySchema.set(schema, (checks = compile(type, schema)));
  return checks;
}

function compile(type: unknown, schema: string | undefined): ClassChecks {
  const storage = getMetadataStorage();
  // The executor's own lookup, with validateSync's defaults: no groups, `always` off, `strictGroups` off.
  const metadatas = storage.getTargetValidationMetadatas(type as () => void, schema as string, false, false, undefined);
  const resolve = (metadata: ValidationMetadata): Check => ({
    metadata,
    constraints: storage.getTargetValidatorConstraints(metadata.constraintCls).map((constraint) => {
      if (constraint.async) throw new Error(`validateInstance cannot run the async constraint ${constraint.name}`);
      return { name: constraint.name, instance: constraint.instance };
    }),
  });
  const grouped = storage.groupByPropertyName(metadatas);
  return {
    targetName: (type as { name: string }).name,
    grouped,
    properties: Object.entries(grouped).map(([property, list]) => {
      for (const metadata of list) {
        if (!SUPPORTED_TYPES.has(metadata.type)) throw new Error(`validateInstance cannot run ${metadata.type} (${property})`);
      }
      const ofType = (kind: string) => list.filter((metadata) => metadata.type === kind);
      return {
        property,
        defined: ofType(ValidationTypes.IS_DEFINED).map(resolve),
        custom: ofType(ValidationTypes.CUSTOM_VALIDATION).map(resolve),
        nested: ofType(ValidationTypes.NESTED_VALIDATION),
        conditions: ofType(ValidationTypes.CONDITIONAL_VALIDATION).map(
          (metadata) => metadata.constraints[0] as (object: object, value: unknown) => boolean,
        ),
      };
    }),
  };
}

/** class-validator's ValidationExecutor.execute, for the options above. */
function execute(object: object, schema: string | undefined, prefix: string, errors: FieldError[]): void {
  const checks = checksOf(object.constructor, schema);
  if (checks.properties.length === 0) {
    errors.push({
      field: fieldName(prefix, undefined as unknown as string),
      messages: ['an unknown value was passed to the validate function'],
    });
    return;
  }
  for (const property of Object.keys(object)) {
    const known = checks.grouped[property] as ValidationMetadata[] | undefined;
    if (!known || known.length === 0)
      errors.push({ field: fieldName(prefix, property), messages: [`property ${property} should not exist`] });
  }
  for (const property of checks.properties) {
    const value = (object as Record<string, unknown>)[property.property];
    validateProperty(object, checks.targetName, value, property.property, property, prefix, errors);
  }
}

/** The checks of one property (or array element); its errors first, then those of what it holds. */
function validateProperty(
  object: object,
  targetName: string,
  value: unknown,
  property: string,
  checks: Omit<PropertyChecks, 'property'>,
  prefix: string,
  errors: FieldError[],
): void {
  let allowed = true;
  for (const condition of checks.conditions) allowed = condition(object, value) && allowed;
  if (!allowed) return;
  // Built only when needed: a valid row has nothing to report, and a large import checks a hundred thousand.
  let constraints = runChecks(object, targetName, value, checks.defined, undefined);
  constraints = runChecks(object, targetName, value, checks.custom, constraints);
  if (value === undefined || checks.nested.length === 0) {
    if (constraints) errors.push({ field: fieldName(prefix, property), messages: Object.values(constraints) });
    return;
  }
  const field = fieldName(prefix, property);
  const children: FieldError[] = [];
  for (const metadata of checks.nested) {
    if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
      const elements = value instanceof Set ? Array.from(value) : value;
      const elementChecks = { defined: [], custom: [], nested: checks.nested, conditions: [] };
      elements.forEach((element: unknown, index: { toString(): string }) =>
        validateProperty(value, value.constructor.name, element, index.toString(), elementChecks, field, children),
      );
    } else if (value instanceof Object) {
      execute(value, typeof metadata.target === 'string' ? metadata.target : metadata.target.name, field, children);
    } else {
      // As the executor does, the message is built as if the class itself had the bad value.
      const [type, message] = failure(metadata.target as object, value, metadata);
      constraints ??= {};
      constraints[type] = message;
    }
  }
  if (constraints) errors.push({ field, messages: Object.values(constraints) });
  errors.push(...children);
}

/** Runs the checks; the failures join `constraints` (created on the first one), which is returned. */
function runChecks(
  object: object,
  targetName: string,
  value: unknown,
  checks: Check[],
  constraints: Record<string, string> | undefined,
): Record<string, string> | undefined {
  for (const { metadata, constraints: validators } of checks) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    for (const validator of validators) {
      const args: ValidationArguments = {
        targetName,
        property: metadata.propertyName,
        object,
        value,
        constraints: metadata.constraints,
      };
      let valid: unknown;
      if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        valid = validator.instance.validate(value, args);
      } else {
        const elements: unknown[] = value instanceof Map ? Array.from(value.values()) : Array.isArray(value) ? value : Array.from(value);
        const results = elements.map((element) => validator.instance.validate(element, args));
        valid = results.some(isPromise) ? Promise.resolve() : results.every(Boolean);
      }
      // As in validateSync, a check that answers with a promise is not waited for.
      if (!valid && !isPromise(valid)) {
        const [type, message] = failure(object, value, metadata, validator);
        constraints ??= {};
        constraints[type] = message;
      }
    }
  }
  return constraints;
}

function failure(
  object: object,
  value: unknown,
  metadata: ValidationMetadata,
  validator?: { name: string; instance: ConstraintMetadata['instance'] },
): [string, string] {
  const args: ValidationArguments = {
    targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
    property: metadata.propertyName,
    object,
    value,
    constraints: metadata.constraints,
  };
  let message: ValidationMetadata['message'] = metadata.message || '';
  if (!metadata.message && validator && validator.instance.defaultMessage instanceof Function)
    message = validator.instance.defaultMessage(args);
  return [validator && validator.name ? validator.name : metadata.type, replaceTokens(message, args)];
}

/** class-validator's ValidationUtils.replaceMessageSpecialTokens (not part of its public API). */
function replaceTokens(message: ValidationMetadata['message'], args: ValidationArguments): string {
  let text = message instanceof Function ? message(args) : message;
  if (text && Array.isArray(args.constraints)) {
    args.constraints.forEach((constraint: unknown, index) => {
      const written = Array.isArray(constraint)
        ? constraint.join(', ')
        : typeof constraint === 'symbol'
          ? `${constraint.description}`
          : `${constraint as string}`;
      text = text.replace(new RegExp(`\\$constraint${index + 1}`, 'g'), written);
    });
  }
  if (text && args.value !== undefined && args.value !== null && ['string', 'boolean', 'number'].includes(typeof args.value)) {
    text = text.replace(/\$value/g, args.value as string);
  }
  if (text) text = text.replace(/\$property/g, args.property);
  if (text) text = text.replace(/\$target/g, args.targetName);
  return text;
}

function isPromise(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
