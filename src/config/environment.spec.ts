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
