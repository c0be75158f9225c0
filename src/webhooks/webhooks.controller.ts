import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActorId, AdminOnly } from '../auth/auth.decorators.js';
import { IdParam } from '../common/decorators.js';
import { CreateWebhookDto, ListDeliveriesQuery } from './dto/webhook.dto.js';
import type { CreatedWebhook, DeliveriesPage, WebhookView } from '../contracts/webhooks.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhooks for commitment changes: an admin's to manage, every route. */
@ApiTags('webhooks')
@AdminOnly()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Send commitment changes to a URL',
    description:
      'Each change is POSTed as {event, at, commitment} with X-Ledger-Signature: sha256=<hex HMAC-SHA256 of the body>, retried with backoff for 24 hours. The secret is in this answer only.',
  })
  @ApiCreatedResponse({ description: 'The webhook, with its secret (shown this once)' })
  @ApiBadRequestResponse({ description: 'url not http(s), secret too short, events unknown' })
  create(@Body() dto: CreateWebhookDto, @ActorId() actorId: string | null): Promise<CreatedWebhook> {
    return this.webhooks.create(dto, actorId);
  }

  @Get()
  @ApiOkResponse({ description: 'Every webhook (without its secret), with its deliveries by state' })
  list(): Promise<WebhookView[]> {
    return this.webhooks.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The webhook and its deliveries log are gone; pending deliveries are not sent' })
  remove(@IdParam() id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ description: 'The webhook’s deliveries, newest first: state, attempts, last answer or error, next attempt' })
  deliveries(@IdParam() id: string, @Query() query: ListDeliveriesQuery): Promise<DeliveriesPage> {
    return this.webhooks.deliveries(id, query);
  }
}
