import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Accelerator } from './accelerator.entity.js';
import { AcceleratorsController } from './accelerators.controller.js';
import { AcceleratorsService } from './accelerators.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Accelerator])],
  controllers: [AcceleratorsController],
  providers: [AcceleratorsService],
  exports: [AcceleratorsService],
})
export class AcceleratorsModule {}
