import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type RequestHandler } from 'express';
import helmet from 'helmet';
import { type AppOptions, AppModule } from './app.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { rejectInvalidUtf8, rejectUnreadableBodyTypes } from './common/body-checks.js';
import { drainingGate } from './common/draining.js';
import { createLogger, type ServiceLogger } from './common/logger.js';
import { requestId } from './common/request-id.middleware.js';
import { requestLog } from './common/request-log.middleware.js';
import { UnexpectedQueryInterceptor } from './common/unexpected-query.interceptor.js';
import { createValidationPipe } from './common/validation.js';

export interface ServeOptions {
  /** The service's log (`createLogger`); `false` silences it (tests). Default: from level `log` up, to standard output. */
  logger?: ServiceLogger | false;
  /** Origins allowed to call the API from a browser; empty keeps cross-origin calls closed. */
  corsOrigins?: string[];
  /** Proxies whose X-Forwarded-For names the client (rate limits count per client). */
  trustProxy?: number;
}

/**
 * Helmet with a Content-Security-Policy per surface. The web client loads only its own scripts, styles and
 * data (chart images and exports are drawn and downloaded in the page, no image loads); the Swagger UI at
 * /api/docs needs inline styles and data: images. No upgrade-insecure-requests: `npm start` serves plain HTTP,
 * where it would send the app's own requests to an https port that does not exist (a TLS proxy can add it).
 */
function securityHeaders(): RequestHandler {
  const directives = { 'upgrade-insecure-requests': null, 'script-src': ["'self'"] };
  const client = helmet({ contentSecurityPolicy: { directives: { ...directives, 'img-src': ["'self'"], 'style-src': ["'self'"] } } });
  const docs = helmet({
    contentSecurityPolicy: { directives: { ...directives, 'img-src': ["'self'", 'data:'], 'style-src': ["'self'", "'unsafe-inline'"] } },
  });
  return (request, response, next) => (request.path.startsWith('/api/docs') ? docs : client)(request, response, next);
}

/** Builds the application as it serves: used by main.ts and, in-process, by the e2e tests. */
export async function createApp(options: AppOptions & ServeOptions): Promise<INestApplication> {
  const logger = options.logger ?? createLogger('log');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), { logger, bodyParser: false });
  app.set('trust proxy', options.trustProxy ?? 0);
  app.use(requestId);
  if (logger) app.use(requestLog(logger));
  app.use(drainingGate);
  app.use(securityHeaders());
  if (options.corsOrigins?.length) {
    app.enableCors({ origin: options.corsOrigins, exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'], maxAge: 600 });
  }
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
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, () => document);
  return app;
}
