import { Module } from '@nestjs/common';
import { AcceleratorsModule } from '../accelerators/accelerators.module.js';
import { CommitmentsModule } from '../commitments/commitments.module.js';
import { CompaniesModule } from '../companies/companies.module.js';
import { ImportsService } from './imports.service.js';

@Module({
  imports: [CommitmentsModule, CompaniesModule, AcceleratorsModule],
  providers: [ImportsService],
  exports: [ImportsService],
})
export class ImportsModule {}
