import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { PASSWORD_LENGTH, PASSWORD_LENGTH_MESSAGE } from '../domain/password-policy.js';
import { DEFAULT_APPROXIMATE_MARGIN } from '../domain/ranges.js';

const toBoolean = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

const toNumber = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(String(value)) ? Number(value) : value;

const DURATION_PATTERN = /^([1-9]\d{0,8})([smhd]?)$/;
const SECONDS_PER_UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** The longest JWT_TTL: a sign-in lasts at most a week. */
export const MAX_SESSION_SECONDS = 7 * 86400;

/** `8h` → 28800; a bare number is seconds. */
export function durationSeconds(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new EnvironmentError(`not a duration: ${text}`);
  return Number(match[1]) * SECONDS_PER_UNIT[match[2]];
}

/** A list variable's items, separated by commas; empty or unset gives none. */
const commaList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** `CORS_ORIGINS` as a list; empty keeps cross-origin calls closed. */
export function corsOrigins(environment: Environment): string[] {
  return commaList(environment.CORS_ORIGINS);
}

/**
 * Where the HTTP server listens: HOST, else loopback on the embedded default (a one-person install whose anonymous
 * reads are on) and every interface with DATABASE_URL (a server behind a proxy or load balancer).
 */
export function listenHost(environment: Environment): string {
  return environment.HOST ?? (environment.DATABASE_URL ? '0.0.0.0' : '127.0.0.1');
}

/** `DATABASE_READ_URLS` as a list: the read replicas of DATABASE_URL, none when unset. */
export function readReplicaUrls(environment: Environment): string[] {
  return commaList(environment.DATABASE_READ_URLS);
}

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every environment variable the service reads, with its default. The README documents each. */
export class Environment {
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** The address the HTTP server listens on; default 127.0.0.1 on the embedded default, 0.0.0.0 with DATABASE_URL. */
  @IsOptional()
  @Matches(/^(?:[\w.-]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)$/, { message: 'HOST must be an address such as 127.0.0.1, 0.0.0.0 or ::' })
  HOST?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  /** Read replicas of DATABASE_URL, for the dashboard's aggregates; the embedded engine has none. */
  @IsOptional()
  @Matches(/^\s*postgres(ql)?:\/\/[^\s,]+\s*(,\s*postgres(ql)?:\/\/[^\s,]+\s*)*$/, {
    message: 'DATABASE_READ_URLS must be postgres:// connection URLs separated by commas',
  })
  DATABASE_READ_URLS?: string;

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
  /** An import upload that sends nothing for this many seconds is abandoned with 408. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  IMPORT_IDLE_SECONDS = 30;
  /** How long extracting one pasted text may take on its thread; longer gets 422 (the thread is ended, others go on). */
  @Transform(toInteger)
  @IsInt()
  @Min(50)
  @Max(60_000)
  EXTRACTION_TIME_LIMIT_MS = 1500;

  /** Required with DATABASE_URL; the embedded default generates one and keeps it in DATA_DIR. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (e.g. openssl rand -base64 48)' })
  JWT_SECRET?: string;

  /** How long a sign-in lasts: its access tokens and its refresh cookie end then. */
  @Matches(DURATION_PATTERN, { message: 'JWT_TTL must be a duration such as 3600, 90s, 30m, 8h or 7d' })
  JWT_TTL = '8h';

  @IsEmail({ require_tld: false }, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL = 'admin@ledger.local';

  @IsOptional()
  @IsString()
  @Length(PASSWORD_LENGTH.min, PASSWORD_LENGTH.max, { message: `ADMIN_PASSWORD ${PASSWORD_LENGTH_MESSAGE}` })
  ADMIN_PASSWORD?: string;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'PUBLIC_READ must be true or false' })
  PUBLIC_READ?: boolean;

  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, {
    message: 'CORS_ORIGINS must be origins such as https://ledger.example.com, separated by commas',
  })
  CORS_ORIGINS?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 1200;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /** Failed sign-ins (or password changes) one account may have per LOGIN_FAILURE_WINDOW, from any address and instance; 0 turns it off. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  LOGIN_FAILURES_PER_ACCOUNT = 10;

  @Matches(DURATION_PATTERN, { message: 'LOGIN_FAILURE_WINDOW must be a duration such as 900, 90s, 15m or 1h' })
  LOGIN_FAILURE_WINDOW = '15m';

  /** Proxies in front of the service whose X-Forwarded-For is trusted to name the client (for rate limits). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY = 0;

  /** How often this instance looks for due background jobs (webhook deliveries, feed polls); 0: it runs none. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600)
  JOB_POLL_SECONDS = 2;

  /** How often each feed of the inbox is read, in minutes; 0: only when asked (POST /api/feeds/:id/poll). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10_080)
  FEED_POLL_MINUTES = 60;

  /**
   * How far an `approximate` amount may be from its figure, as a fraction: "about 350,000" ranges over
   * 350,000 × (1 ∓ APPROXIMATE_MARGIN) in the capacity figures' low and high (unless the record gives its bounds).
   */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'APPROXIMATE_MARGIN must be a number between 0 and 1, such as 0.1' })
  @Min(0, { message: 'APPROXIMATE_MARGIN must be a number between 0 and 1, such as 0.1' })
  @Max(1, { message: 'APPROXIMATE_MARGIN must be a number between 0 and 1, such as 0.1' })
  APPROXIMATE_MARGIN = DEFAULT_APPROXIMATE_MARGIN;

  /** The inbox reaches loopback and private addresses only when true (a feed on the same network). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'FEED_ALLOW_PRIVATE_ADDRESSES must be true or false' })
  FEED_ALLOW_PRIVATE_ADDRESSES = false;

  /**
   * Where to fetch Epoch AI's GPU Clusters CSV from, to import it on a schedule (once per deployment per period);
   * unset: no scheduled import. Fetched under the inbox's rules (FEED_ALLOW_PRIVATE_ADDRESSES for a local copy).
   */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'EPOCH_CLUSTERS_URL must be an http:// or https:// URL' })
  EPOCH_CLUSTERS_URL?: string;

  /** How often EPOCH_CLUSTERS_URL is fetched and imported, in hours. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(8760)
  EPOCH_CLUSTERS_EVERY_HOURS = 24;
}

export class EnvironmentError extends Error {}

/** Reads and checks the environment once; a bad value stops the start with a message naming the variable. */
export function loadEnvironment(raw: NodeJS.ProcessEnv = process.env): Environment {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const environment = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: true, forbidUnknownValues: true });
  const lines = errors.map((error) => `  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
  if (environment.DATABASE_READ_URLS !== undefined && environment.DATABASE_URL === undefined) {
    lines.push('  DATABASE_READ_URLS: read replicas need DATABASE_URL (the embedded PostgreSQL has no replicas)');
  }
  if (DURATION_PATTERN.test(environment.JWT_TTL) && durationSeconds(environment.JWT_TTL) > MAX_SESSION_SECONDS) {
    lines.push(`  JWT_TTL: at most 7d (${MAX_SESSION_SECONDS} s): a sign-in must end within a week; API tokens serve longer uses`);
  }
  if (lines.length > 0) throw new EnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  return environment;
}
