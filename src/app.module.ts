import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { AcceleratorsModule } from './accelerators/accelerators.module.js';
import { CapacityModule } from './capacity/capacity.module.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { projectPath } from './common/project-root.js';
import { CompaniesModule } from './companies/companies.module.js';
import { ConfigModule } from './config/config.module.js';
import { ExtractionModule } from './extraction/extraction.module.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { SeedModule } from './seed/seed.module.js';

export interface AppOptions {
  databaseUrl: string;
  poolSize: number;
  demoData: boolean;
}

export const CLIENT_DIST = projectPath('client/dist');

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule,
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(options.databaseUrl, options.poolSize), migrationsRun: true }),
        ...(existsSync(CLIENT_DIST) ? [ServeStaticModule.forRoot({ rootPath: CLIENT_DIST, exclude: ['/api/{*path}'] })] : []),
        HealthModule,
        CompaniesModule,
        AcceleratorsModule,
        CommitmentsModule,
        CapacityModule,
        ImportsModule,
        ExtractionModule,
        SeedModule.register({ demoData: options.demoData }),
      ],
    };
  }
}
