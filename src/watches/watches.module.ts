import { Module } from '@nestjs/common';
import { CapacityModule } from '../capacity/capacity.module.js';
import { CommitmentsModule } from '../commitments/commitments.module.js';
import { NotificationsController, WatchesController } from './watches.controller.js';
import { WatchesService } from './watches.service.js';

/** Watches on dashboard filters, evaluated right after each write, and their notifications. */
@Module({
  imports: [CommitmentsModule, CapacityModule],
  controllers: [WatchesController, NotificationsController],
  providers: [WatchesService],
})
export class WatchesModule {}
