import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { AcceleratorsModule } from './accelerators/accelerators.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import type { AuthOptions } from './auth/auth.options.js';
import type { RateLimitOptions } from './auth/rate-limit.js';
import { CapacityModule } from './capacity/capacity.module.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { projectPath } from './common/project-root.js';
import { CompaniesModule } from './companies/companies.module.js';
import { ConfigModule } from './config/config.module.js';
import { ExtractionModule } from './extraction/extraction.module.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { openMigratedDataSource } from './database/instance-lock.js';
import { VersionsModule } from './database/versions.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { InboxModule } from './inbox/inbox.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { SeedModule } from './seed/seed.module.js';
import type { SeedOptions } from './seed/seed.service.js';
import { UsersModule } from './users/users.module.js';
import { WatchesModule } from './watches/watches.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export interface AppOptions extends SeedOptions {
  databaseUrl: string;
  /** Read replicas of `databaseUrl` for the dashboard's aggregates (DATABASE_READ_URLS); none by default. */
  readReplicaUrls?: string[];
  poolSize: number;
  auth: AuthOptions;
  rateLimits: RateLimitOptions;
}

export const CLIENT_DIST = projectPath('client/dist');

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => buildDataSourceOptions(options.databaseUrl, options.poolSize, options.readReplicaUrls),
          dataSourceFactory: (dataSourceOptions) => openMigratedDataSource(dataSourceOptions!),
        }),
        ...(existsSync(CLIENT_DIST) ? [ServeStaticModule.forRoot({ rootPath: CLIENT_DIST, exclude: ['/api/{*path}'] })] : []),
        VersionsModule,
        JobsModule,
        AuditModule,
        AuthModule.register({ ...options.auth, rateLimits: options.rateLimits }),
        UsersModule,
        HealthModule,
        CompaniesModule,
        AcceleratorsModule,
        CommitmentsModule,
        CapacityModule,
        ImportsModule,
        ExtractionModule,
        InboxModule,
        WebhooksModule.register({ appKey: options.auth.jwtSecret }),
        WatchesModule,
        SeedModule.register({ demoData: options.demoData, firstAdmin: options.firstAdmin, demoAccounts: options.demoAccounts }),
      ],
    };
  }
}
