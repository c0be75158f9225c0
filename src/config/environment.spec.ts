import { describe, expect, it } from 'vitest';
import { EnvironmentError, loadEnvironment, readReplicaUrls } from './environment.js';

const SERVER = 'postgres://ledger@db-primary:5432/ledger';

describe('DATABASE_READ_URLS', () => {
  it('lists the read replicas of DATABASE_URL, none when unset or empty', () => {
    const environment = loadEnvironment({
      DATABASE_URL: SERVER,
      DATABASE_READ_URLS: ' postgres://ledger@db-replica-1/ledger, postgresql://ledger:p%2Cw@db-replica-2:5433/ledger ',
    });
    expect(readReplicaUrls(environment)).toEqual([
      'postgres://ledger@db-replica-1/ledger',
      'postgresql://ledger:p%2Cw@db-replica-2:5433/ledger',
    ]);
    expect(readReplicaUrls(loadEnvironment({ DATABASE_URL: SERVER }))).toEqual([]);
    expect(readReplicaUrls(loadEnvironment({ DATABASE_URL: SERVER, DATABASE_READ_URLS: '' }))).toEqual([]);
  });

  it('stops the start on anything but postgres:// URLs, naming the variable', () => {
    for (const value of ['db-replica-1:5432', 'postgres://a/ledger,,postgres://b/ledger', 'mysql://db/ledger']) {
      expect(() => loadEnvironment({ DATABASE_URL: SERVER, DATABASE_READ_URLS: value })).toThrow(
        /DATABASE_READ_URLS: DATABASE_READ_URLS must be postgres:\/\/ connection URLs separated by commas/,
      );
    }
  });

  it('is refused with the embedded engine, which has no replicas', () => {
    const start = () => loadEnvironment({ DATABASE_READ_URLS: 'postgres://ledger@db-replica-1/ledger' });
    expect(start).toThrow(EnvironmentError);
    expect(start).toThrow(/DATABASE_READ_URLS: read replicas need DATABASE_URL \(the embedded PostgreSQL has no replicas\)/);
  });
});

describe('sessions and passwords', () => {
  it('accepts a sign-in of up to seven days and refuses a longer JWT_TTL, naming the variable', () => {
    expect(loadEnvironment({ JWT_TTL: '7d' }).JWT_TTL).toBe('7d');
    expect(loadEnvironment({ JWT_TTL: '604800' }).JWT_TTL).toBe('604800');
    for (const value of ['8d', '604801', '169h']) {
      expect(() => loadEnvironment({ JWT_TTL: value })).toThrow(/^Invalid environment:\n {2}JWT_TTL: at most 7d \(604800 s\)/);
    }
  });

  it('refuses an ADMIN_PASSWORD under 12 characters', () => {
    expect(() => loadEnvironment({ ADMIN_PASSWORD: 'a'.repeat(11) })).toThrow(
      /ADMIN_PASSWORD: ADMIN_PASSWORD must be 12 to 200 characters long/,
    );
    expect(loadEnvironment({ ADMIN_PASSWORD: 'a'.repeat(12) }).ADMIN_PASSWORD).toBe('a'.repeat(12));
  });

  it('reads the per-account limit of failed sign-ins and its window', () => {
    expect(loadEnvironment({})).toMatchObject({ LOGIN_FAILURES_PER_ACCOUNT: 10, LOGIN_FAILURE_WINDOW: '15m' });
    expect(() => loadEnvironment({ LOGIN_FAILURE_WINDOW: 'soon' })).toThrow(
      /LOGIN_FAILURE_WINDOW: LOGIN_FAILURE_WINDOW must be a duration/,
    );
  });
});

describe('APPROXIMATE_MARGIN', () => {
  it('defaults to 0.1, takes a fraction from 0 to 1, and refuses anything else, naming the variable', () => {
    expect(loadEnvironment({}).APPROXIMATE_MARGIN).toBe(0.1);
    expect(loadEnvironment({ APPROXIMATE_MARGIN: '0.25' }).APPROXIMATE_MARGIN).toBe(0.25);
    expect(loadEnvironment({ APPROXIMATE_MARGIN: '0' }).APPROXIMATE_MARGIN).toBe(0);
    expect(loadEnvironment({ APPROXIMATE_MARGIN: '1' }).APPROXIMATE_MARGIN).toBe(1);
    for (const value of ['1.5', '-0.1', 'ten percent', '10%']) {
      expect(() => loadEnvironment({ APPROXIMATE_MARGIN: value }), value).toThrow(
        /APPROXIMATE_MARGIN: APPROXIMATE_MARGIN must be a number between 0 and 1, such as 0.1/,
      );
    }
  });
});
