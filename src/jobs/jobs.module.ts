import { Global, Module } from '@nestjs/common';
import { JobsService } from './jobs.service.js';

/** Background work shared by the feature modules (webhook deliveries, feed polls, scheduled imports). */
@Global()
@Module({ providers: [JobsService], exports: [JobsService] })
export class JobsModule {}
