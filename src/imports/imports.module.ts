import { Module } from '@nestjs/common';
import { CommitmentsModule } from '../commitments/commitments.module.js';
import { ImportsController } from './imports.controller.js';
import { EpochClustersImportService } from './epoch-clusters-import.service.js';
import { EpochClustersSyncService } from './epoch-clusters-sync.service.js';
import { ImportsService } from './imports.service.js';

@Module({
  imports: [CommitmentsModule],
  controllers: [ImportsController],
  providers: [ImportsService, EpochClustersImportService, EpochClustersSyncService],
  exports: [ImportsService, EpochClustersImportService],
})
export class ImportsModule {}
