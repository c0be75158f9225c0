import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Length } from 'class-validator';
import { PageNumber, PageSize } from '../../common/decorators.js';

import { type CreateWebhook, WEBHOOK_EVENTS, type WebhookEventName } from '../../contracts/webhooks.js';

export class CreateWebhookDto implements CreateWebhook {
  @ApiProperty({ example: 'https://hooks.example.com/ledger', description: 'http or https; private and loopback addresses are allowed' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
    { message: 'url must be an http(s) URL' },
  )
  @Length(1, 2000)
  url: string;

  @ApiPropertyOptional({
    description:
      'Key of the X-Ledger-Signature HMAC, 16 to 200 characters; generated when not given. Shown only in the answer to this request.',
  })
  @IsOptional()
  @IsString()
  @Length(16, 200, { message: 'secret must be 16 to 200 characters' })
  secret?: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['commitment.created', 'commitment.updated'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'events must name at least one event' })
  @ArrayUnique({ message: 'events must not repeat an event' })
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `events must be among ${WEBHOOK_EVENTS.join(', ')}` })
  events: WebhookEventName[];
}

export class ListDeliveriesQuery {
  @PageNumber()
  page: number = 1;

  @PageSize()
  limit: number = 50;
}
