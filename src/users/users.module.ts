import { Global, Module } from '@nestjs/common';
import { Accounts } from '../contracts/accounts.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Global: authentication reaches the accounts through the Accounts token, which UsersService provides. */
@Global()
@Module({
  controllers: [UsersController],
  providers: [UsersService, { provide: Accounts, useExisting: UsersService }],
  exports: [UsersService, Accounts],
})
export class UsersModule {}
