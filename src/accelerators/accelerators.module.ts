import { Module } from '@nestjs/common';
import { AcceleratorsController } from './accelerators.controller.js';
import { AcceleratorsService } from './accelerators.service.js';
import { EpochHardwareImportService } from './epoch-hardware-import.service.js';

@Module({
  controllers: [AcceleratorsController],
  providers: [AcceleratorsService, EpochHardwareImportService],
  exports: [AcceleratorsService],
})
export class AcceleratorsModule {}
