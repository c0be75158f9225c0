import { Module } from '@nestjs/common';
import { CapacityController } from './capacity.controller.js';
import { CapacityService } from './capacity.service.js';
import { CapacityExcludedService } from './excluded.service.js';

@Module({
  controllers: [CapacityController],
  providers: [CapacityService, CapacityExcludedService],
  exports: [CapacityService],
})
export class CapacityModule {}
