import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequiredRole } from '../auth/auth.decorators.js';
import type { AuthenticatedUser } from '../domain/roles.js';
import { IdParam } from '../common/decorators.js';
import { CreateWatchDto, ListNotificationsQuery } from './dto/watch.dto.js';
import type { NotificationView, WatchView } from '../contracts/watches.js';
import { WatchesService } from './watches.service.js';

/** A signed-in user's own watches: any role may keep them. */
@ApiTags('watches')
@RequiredRole('viewer')
@Controller('watches')
export class WatchesController {
  constructor(private readonly watches: WatchesService) {}

  @Post()
  @ApiOperation({ summary: 'Watch a dashboard filter: each change that moves its total H100e sends a notification' })
  @ApiCreatedResponse({ description: 'The watch, with the total it starts from' })
  create(@Body() dto: CreateWatchDto, @CurrentUser() user: AuthenticatedUser): Promise<WatchView> {
    return this.watches.create(user.id, dto);
  }

  @Get()
  @ApiOkResponse({ description: 'The caller’s watches' })
  list(@CurrentUser() user: AuthenticatedUser): Promise<WatchView[]> {
    return this.watches.list(user.id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The watch and its notifications are gone' })
  remove(@IdParam() id: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    return this.watches.remove(user.id, id);
  }
}

/** The caller's notifications from their watches. */
@ApiTags('watches')
@RequiredRole('viewer')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly watches: WatchesService) {}

  @Get()
  @ApiOkResponse({ description: '{items, total}: newest first (the latest 200); total counts them all' })
  list(
    @Query() query: ListNotificationsQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ items: NotificationView[]; total: number }> {
    return this.watches.notifications(user.id, query);
  }

  @Post(':id/read')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The notification, read' })
  markRead(@IdParam() id: string, @CurrentUser() user: AuthenticatedUser): Promise<NotificationView> {
    return this.watches.markRead(user.id, id);
  }
}
