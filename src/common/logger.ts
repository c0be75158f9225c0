import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import type { LogLevel } from '../config/environment.js';

/** LOG_LEVEL's names (Nest's) as pino's. */
const PINO_LEVELS: Record<LogLevel, Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * Where a secret could sit if an object holding one were ever logged: request headers, cookies, passwords and
 * tokens. Nothing logs them; these are censored in case something does.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'password',
  'accessToken',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
];

/**
 * The service's one log: JSON lines through pino, written asynchronously (buffered while a write is in progress,
 * flushed on exit), and Nest's logger on top of it, so bootstrap messages, errors of the exception filter and the
 * request lines come out alike: `{"level":"info","time":…,"pid":…,"context":"HTTP",…,"msg":…}`.
 */
export class ServiceLogger implements LoggerService {
  constructor(
    readonly pino: Logger,
    private readonly destination: DestinationStream,
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Writes out what is buffered, synchronously, before the process exits (pino does it too on `exit`). */
  flush(): void {
    const flushSync = (this.destination as { flushSync?: () => void }).flushSync;
    if (flushSync) flushSync.call(this.destination);
    else this.pino.flush();
  }

  /**
   * Nest's calling convention: the last string parameter is the context (a Logger's name); for errors the one
   * before it is the stack. An object message becomes the line's fields; an Error its `err`.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest.at(-1) === 'string') fields.context = rest.pop();
    if (level === 'error' || level === 'fatal') {
      const stack = rest.shift();
      if (typeof stack === 'string') fields.stack = stack;
    }
    if (rest.length > 0) fields.details = rest;
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

/** The log from `level` up, to `destination` (default: standard output, asynchronously). */
export function createLogger(level: LogLevel, destination?: DestinationStream): ServiceLogger {
  const output = destination ?? pino.destination({ dest: 1, sync: false });
  const logger = pino(
    {
      level: PINO_LEVELS[level],
      base: { pid: process.pid },
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    output,
  );
  return new ServiceLogger(logger, output);
}
