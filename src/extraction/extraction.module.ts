import { Module } from '@nestjs/common';
import { AcceleratorsModule } from '../accelerators/accelerators.module.js';
import { CompaniesModule } from '../companies/companies.module.js';
import { ExtractionController } from './extraction.controller.js';
import { ExtractionService } from './extraction.service.js';

@Module({
  imports: [CompaniesModule, AcceleratorsModule],
  controllers: [ExtractionController],
  providers: [ExtractionService],
  exports: [ExtractionService],
})
export class ExtractionModule {}
