import { type DynamicModule, Module } from '@nestjs/common';
import { AcceleratorsModule } from '../accelerators/accelerators.module.js';
import { ImportsModule } from '../imports/imports.module.js';
import { UsersModule } from '../users/users.module.js';
import { SEED_OPTIONS, SeedService, type SeedOptions } from './seed.service.js';

@Module({})
export class SeedModule {
  static register(options: SeedOptions): DynamicModule {
    return {
      module: SeedModule,
      imports: [AcceleratorsModule, ImportsModule, UsersModule],
      providers: [{ provide: SEED_OPTIONS, useValue: options }, SeedService],
    };
  }
}
