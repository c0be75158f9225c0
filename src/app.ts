import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import { type AppOptions, AppModule } from './app.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { rejectInvalidUtf8, rejectUnreadableBodyTypes } from './common/body-checks.js';
import { drainingGate } from './common/draining.js';
import { requestId } from './common/request-id.middleware.js';
import { UnexpectedQueryInterceptor } from './common/unexpected-query.interceptor.js';
import { createValidationPipe } from './common/validation.js';
import { LOG_LEVELS, type LogLevel } from './config/environment.js';

/** Builds the application as it serves: used by main.ts and, in-process, by the e2e tests. */
export async function createApp(options: AppOptions & { logLevel?: LogLevel | false }): Promise<INestApplication> {
  const logger = options.logLevel === false ? false : LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(options.logLevel ?? 'log') + 1);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), { logger, bodyParser: false });
  app.use(requestId);
  app.use(drainingGate);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] },
      },
    }),
  );
  app.use(rejectUnreadableBodyTypes);
  app.use(json({ limit: '1mb', verify: rejectInvalidUtf8 }));
  // No text parser: an import streams its CSV body straight into the parser, under IMPORT_MAX_BYTES.
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalInterceptors(new UnexpectedQueryInterceptor());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Compute Ledger API')
      .setDescription('Announced commitments to buy or deploy AI accelerators, and committed compute by company and quarter.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, () => document);
  return app;
}
