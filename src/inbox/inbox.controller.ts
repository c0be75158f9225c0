import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActorId, RequiredRole } from '../auth/auth.decorators.js';
import type { CommitmentView } from '../commitments/commitment.view.js';
import { IdParam } from '../common/decorators.js';
import { AcceptItemDto, ListInboxQuery } from './dto/inbox.dto.js';
import { type InboxItemView, InboxService } from './inbox.service.js';

@ApiTags('inbox')
@RequiredRole('analyst')
@Controller('inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOkResponse({ description: '{items, total, page, limit}: the proposals, newest first' })
  list(@Query() query: ListInboxQuery): Promise<{ items: InboxItemView[]; total: number; page: number; limit: number }> {
    return this.inbox.list(query);
  }

  @Get(':id')
  get(@IdParam() id: string): Promise<InboxItemView> {
    return this.inbox.get(id);
  }

  @Post(':id/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Save the candidates as edited, with the item (and the items merged into it) as their sources',
    description: 'Answers {item, commitments}. All records are written in one transaction, or none (a refusal names candidates[i].field).',
  })
  @ApiConflictResponse({ description: 'Accepted already, or merged into another item (review that one)' })
  accept(
    @IdParam() id: string,
    @Body() dto: AcceptItemDto,
    @ActorId() actorId: string | null,
  ): Promise<{ item: InboxItemView; commitments: CommitmentView[] }> {
    return this.inbox.accept(id, dto, actorId);
  }

  @Post(':id/dismiss')
  @HttpCode(HttpStatus.OK)
  @ApiConflictResponse({ description: 'Accepted already' })
  dismiss(@IdParam() id: string, @ActorId() actorId: string | null): Promise<InboxItemView> {
    return this.inbox.dismiss(id, actorId);
  }
}
