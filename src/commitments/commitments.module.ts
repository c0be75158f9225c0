import { Module } from '@nestjs/common';
import { CommitmentsController } from './commitments.controller.js';
import { CommitmentsExportService } from './commitments-export.service.js';
import { CommitmentEvents } from './commitment-events.js';
import { CommitmentWriter } from './commitment-writer.js';
import { CommitmentsService } from './commitments.service.js';

@Module({
  controllers: [CommitmentsController],
  providers: [CommitmentsService, CommitmentWriter, CommitmentsExportService, CommitmentEvents],
  exports: [CommitmentsService, CommitmentWriter, CommitmentEvents],
})
export class CommitmentsModule {}
