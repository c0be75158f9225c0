import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SharedRead } from '../common/shared-read.js';

/** The versions that per-instance caches are checked against; each comes from a sequence, so it never repeats. */
export interface Versions {
  /** Bumped by every write that can change a capacity answer. */
  ledger: number;
  /**
   * Bumped (by triggers, see the AddSessionsAndApiTokens migration) whenever access can end or change: a session
   * ended, an API token deleted, a role changed, an account disabled or enabled, a password changed.
   */
  auth: number;
}

/** Both versions in one statement (0 for one never recorded). */
export async function readVersions(manager: EntityManager): Promise<Versions> {
  const [row]: { ledger: number | null; auth: number | null }[] = await manager.query(
    'SELECT (SELECT version FROM ledger_version) AS ledger, (SELECT version FROM auth_version) AS auth',
  );
  return { ledger: row.ledger ?? 0, auth: row.auth ?? 0 };
}

/**
 * The versions as a request sees them: read once per request, on the primary, by a read that began after the
 * request arrived and that the requests arriving meanwhile share. Authentication and the capacity answers both
 * use the same read, so a signed-in dashboard request costs one round trip before its answer, as an anonymous one.
 */
@Injectable()
export class VersionsService {
  private readonly shared: SharedRead<Versions>;
  private readonly byRequest = new WeakMap<object, Promise<Versions>>();

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.shared = new SharedRead(() => readVersions(dataSource.manager));
  }

  /** `request` only identifies the request: the first call for it reads, later ones get the same answer. */
  of(request: object): Promise<Versions> {
    let versions = this.byRequest.get(request);
    if (!versions) {
      versions = this.shared.read();
      this.byRequest.set(request, versions);
    }
    return versions;
  }
}

@Global()
@Module({ providers: [VersionsService], exports: [VersionsService] })
export class VersionsModule {}
