import { Global, Module } from '@nestjs/common';
import { AuditTrail } from '../contracts/audit.js';
import { AuditExportService } from './audit-export.service.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** Global: every feature that writes records its changes through the AuditTrail token, which AuditService provides. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditExportService, { provide: AuditTrail, useExisting: AuditService }],
  exports: [AuditService, AuditTrail],
})
export class AuditModule {}
