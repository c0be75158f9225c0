import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(level: Parameters<typeof createLogger>[0]) {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

afterEach(() => Logger.overrideLogger(false));

describe('the service log', () => {
  it("takes Nest's calls: the context last, an error's stack before it, an object's fields as the line's", () => {
    const { logger, entries } = capture('log');
    Logger.overrideLogger(logger);
    new Logger('Main').log('serving on port 3000');
    new Logger('HttpExceptionFilter').error('GET /api/x failed (request r-1)', 'Error: boom\n    at handler (x.js:1:1)');
    new Logger('Import').warn({ rows: 3, skipped: 1 });
    expect(entries()).toEqual([
      { level: 'info', time: expect.any(Number), pid: process.pid, context: 'Main', msg: 'serving on port 3000' },
      {
        level: 'error',
        time: expect.any(Number),
        pid: process.pid,
        context: 'HttpExceptionFilter',
        stack: 'Error: boom\n    at handler (x.js:1:1)',
        msg: 'GET /api/x failed (request r-1)',
      },
      { level: 'warn', time: expect.any(Number), pid: process.pid, context: 'Import', rows: 3, skipped: 1 },
    ]);
  });

  it('writes from LOG_LEVEL up only', () => {
    const { logger, entries } = capture('warn');
    logger.log('not written', 'Main');
    logger.debug('not written', 'Main');
    logger.warn('written', 'Main');
    logger.error('written too', undefined, 'Main');
    expect(entries().map((entry) => [entry.level, entry.msg])).toEqual([
      ['warn', 'written'],
      ['error', 'written too'],
    ]);
    const verbose = capture('verbose');
    verbose.logger.verbose('traced', 'Main');
    verbose.logger.debug('debugged', 'Main');
    expect(verbose.entries().map((entry) => entry.level)).toEqual(['trace', 'debug']);
  });

  it('censors headers, cookies, passwords and tokens of an object that is logged', () => {
    const { logger, entries } = capture('log');
    logger.log(
      {
        headers: { authorization: 'Bearer header.payload.signature', cookie: 'sid=abc', accept: 'application/json' },
        user: { email: 'a@b.test', password: 'hunter2 hunter2' },
        accessToken: 'header.payload.signature',
      },
      'Test',
    );
    const [entry] = entries();
    expect(entry).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'application/json' },
      user: { email: 'a@b.test', password: '[redacted]' },
      accessToken: '[redacted]',
    });
    expect(JSON.stringify(entry)).not.toMatch(/signature|sid=abc|hunter2/);
  });
});
