import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every environment variable the service reads, with its default. The README documents each. */
export class Environment {
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './data';

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA?: boolean;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'log';

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  /** The largest CSV body an import accepts, in bytes; larger ones get 413. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  IMPORT_MAX_BYTES = 50 * 1024 * 1024;
}

export class EnvironmentError extends Error {}

/** Reads and checks the environment once; a bad value stops the start with a message naming the variable. */
export function loadEnvironment(raw: NodeJS.ProcessEnv = process.env): Environment {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const environment = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.map((error) => `  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new EnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return environment;
}
