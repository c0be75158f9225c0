import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';

export interface HealthView {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
}

const PROBE_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Public()
@SkipThrottle({ default: true, login: true })
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** 200 while the database answers, 503 while it does not. */
  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
    // The timer is cleared once the database answers: left running, each probe would be held for the whole timeout.
    let timer: NodeJS.Timeout | undefined;
    const up = await Promise.race([
      this.dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(resolve, PROBE_TIMEOUT_MS, false))),
    ]);
    clearTimeout(timer);
    if (!up) response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return up ? { status: 'ok', database: 'up' } : { status: 'unavailable', database: 'down' };
  }
}
