import { Module } from '@nestjs/common';
import { CommitmentsModule } from '../commitments/commitments.module.js';
import { ExtractionModule } from '../extraction/extraction.module.js';
import { FeedsController } from './feeds.controller.js';
import { FeedsService } from './feeds.service.js';
import { InboxController } from './inbox.controller.js';
import { InboxService } from './inbox.service.js';

/** The analysts' inbox: feeds polled in the background, their items proposed as records for review. */
@Module({
  imports: [CommitmentsModule, ExtractionModule],
  controllers: [FeedsController, InboxController],
  providers: [FeedsService, InboxService],
})
export class InboxModule {}
