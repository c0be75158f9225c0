import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActorId, RequiredRole } from '../auth/auth.decorators.js';
import { IdParam } from '../common/decorators.js';
import { CreateFeedDto } from './dto/feed.dto.js';
import { type FeedView, FeedsService, type PollResult } from './feeds.service.js';

/** The feeds the inbox reads: an analyst's working material, so reading them needs the analyst role too. */
@ApiTags('inbox')
@RequiredRole('analyst')
@Controller('feeds')
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Post()
  @ApiOperation({ summary: 'Add an RSS or Atom feed; it is read at once, then every FEED_POLL_MINUTES' })
  @ApiBadRequestResponse({ description: 'url not http(s), or on a loopback or private address (unless FEED_ALLOW_PRIVATE_ADDRESSES=true)' })
  @ApiConflictResponse({ description: 'A feed with this url exists' })
  create(@Body() dto: CreateFeedDto, @ActorId() actorId: string | null): Promise<FeedView> {
    return this.feeds.create(dto, actorId);
  }

  @Get()
  @ApiOkResponse({ description: 'Every feed, with its last poll, last error and the items waiting for review' })
  list(): Promise<FeedView[]> {
    return this.feeds.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The feed, its schedule and its items are gone; records accepted from it stay' })
  remove(@IdParam() id: string): Promise<void> {
    return this.feeds.remove(id);
  }

  @Post(':id/poll')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Read the feed now', description: 'Answers {feed, added, polled}; a failure shows in feed.lastError' })
  @ApiConflictResponse({ description: 'The feed is being polled right now' })
  poll(@IdParam() id: string): Promise<PollResult> {
    return this.feeds.pollNow(id);
  }
}
