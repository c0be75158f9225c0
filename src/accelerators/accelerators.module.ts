import { Module } from '@nestjs/common';
import { AcceleratorsController } from './accelerators.controller.js';
import { AcceleratorsService } from './accelerators.service.js';

@Module({
  controllers: [AcceleratorsController],
  providers: [AcceleratorsService],
  exports: [AcceleratorsService],
})
export class AcceleratorsModule {}
