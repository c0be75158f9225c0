import { type DynamicModule, Module } from '@nestjs/common';
import { CommitmentsModule } from '../commitments/commitments.module.js';
import { WebhooksController } from './webhooks.controller.js';
import { WEBHOOK_OPTIONS, type WebhookOptions, WebhooksService } from './webhooks.service.js';

/** Webhooks: commitment changes queued in each write's transaction, delivered signed by one instance, retried for a day. */
@Module({})
export class WebhooksModule {
  static register(options: WebhookOptions): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [CommitmentsModule],
      controllers: [WebhooksController],
      providers: [{ provide: WEBHOOK_OPTIONS, useValue: options }, WebhooksService],
    };
  }
}
