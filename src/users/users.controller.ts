import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ActorId, AdminOnly } from '../auth/auth.decorators.js';
import { IdParam } from '../common/decorators.js';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import type { UserView } from './user.entity.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@AdminOnly()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  create(@Body() dto: CreateUserDto, @ActorId() actorId: string | null): Promise<UserView> {
    return this.users.create(dto, actorId);
  }

  /** Changes the role, resets the password or disables the account (each optional). */
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateUserDto, @ActorId() actorId: string | null): Promise<UserView> {
    return this.users.update(id, dto, actorId);
  }
}
