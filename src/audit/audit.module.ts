import { Global, Module } from '@nestjs/common';
import { AuditExportService } from './audit-export.service.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** Global: every feature that writes records its changes through AuditService. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditExportService],
  exports: [AuditService],
})
export class AuditModule {}
