import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { CreateLedgerSchema1764180000000 } from '../migrations/1764180000000-CreateLedgerSchema.js';
import { CreateUsersAndAudit1764184000000 } from '../migrations/1764184000000-CreateUsersAndAudit.js';
import { CreateCapacityRollup1764188000000 } from '../migrations/1764188000000-CreateCapacityRollup.js';
import { QuarterlyCapacityRollup1764192000000 } from '../migrations/1764192000000-QuarterlyCapacityRollup.js';
import { IndexCommitmentsByChange1796187652691 } from '../migrations/1796187652691-IndexCommitmentsByChange.js';
import { AddAcceleratorRatesAndPrice1796187817400 } from '../migrations/1796187817400-AddAcceleratorRatesAndPrice.js';
import { CreateJobs1796189017242 } from '../migrations/1796189017242-CreateJobs.js';
import { AddSessionsAndApiTokens1796193549222 } from '../migrations/1796193549222-AddSessionsAndApiTokens.js';
import { CreateFeedsAndInbox1796197000000 } from '../migrations/1796197000000-CreateFeedsAndInbox.js';
import { CreateEpochClustersRuns1796200000000 } from '../migrations/1796200000000-CreateEpochClustersRuns.js';
import { AddHostPartOfAndSiteCountry1796200500000 } from '../migrations/1796200500000-AddHostPartOfAndSiteCountry.js';
import { AddAmountRange1796201000000 } from '../migrations/1796201000000-AddAmountRange.js';
import { CapacityRollupRanges1796201100000 } from '../migrations/1796201100000-CapacityRollupRanges.js';
import { CreateWebhooks1796226000000 } from '../migrations/1796226000000-CreateWebhooks.js';
import { CreateWatchesAndNotifications1796226100000 } from '../migrations/1796226100000-CreateWatchesAndNotifications.js';
import { CreateCommitmentVersions1796230000000 } from '../migrations/1796230000000-CreateCommitmentVersions.js';
import { Accelerator } from './accelerators/accelerator.entity.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { CommitmentSource } from './commitments/commitment-source.entity.js';
import { Commitment } from './commitments/commitment.entity.js';
import { Company } from './companies/company.entity.js';
import { User } from './users/user.entity.js';

// Dates stay the strings the database holds (no time-zone shift); counts and sums arrive as numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export const ENTITIES = [Company, Accelerator, Commitment, CommitmentSource, User, AuditEntry];
export const MIGRATIONS = [
  CreateLedgerSchema1764180000000,
  CreateUsersAndAudit1764184000000,
  CreateCapacityRollup1764188000000,
  QuarterlyCapacityRollup1764192000000,
  IndexCommitmentsByChange1796187652691,
  AddAcceleratorRatesAndPrice1796187817400,
  CreateJobs1796189017242,
  AddSessionsAndApiTokens1796193549222,
  CreateFeedsAndInbox1796197000000,
  CreateEpochClustersRuns1796200000000,
  AddHostPartOfAndSiteCountry1796200500000,
  AddAmountRange1796201000000,
  CapacityRollupRanges1796201100000,
  CreateWebhooks1796226000000,
  CreateWatchesAndNotifications1796226100000,
  CreateCommitmentVersions1796230000000,
];

/**
 * The one options object used by the app, the tests and the TypeORM CLI. With read replicas, every query still
 * goes to the primary unless the code asks for a replica (`createQueryRunner('slave')`, see `read-replica.ts`):
 * TypeORM would otherwise send every SELECT outside a transaction to a replica, and a client could fail to read
 * its own write.
 */
export function buildDataSourceOptions(url: string, poolSize = 10, readReplicaUrls: string[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    ...(readReplicaUrls.length > 0 && {
      replication: { master: { url }, slaves: readReplicaUrls.map((replica) => ({ url: replica })), defaultMode: 'master' },
    }),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    poolSize,
    extra: { connectionTimeoutMillis: 5_000 },
  };
}
