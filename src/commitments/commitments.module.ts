import { Module } from '@nestjs/common';
import { CommitmentsController } from './commitments.controller.js';
import { CommitmentsExportService } from './commitments-export.service.js';
import { CommitmentsService } from './commitments.service.js';

@Module({
  controllers: [CommitmentsController],
  providers: [CommitmentsService, CommitmentsExportService],
  exports: [CommitmentsService],
})
export class CommitmentsModule {}
