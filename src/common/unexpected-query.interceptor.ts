import { BadRequestException, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/**
 * Query parameters are validated by the DTO of the routes that read them; a route that reads none rejects any,
 * as bodies reject unknown fields, so a mistyped filter is never silently ignored.
 */
@Injectable()
export class UnexpectedQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const names = Object.keys(context.switchToHttp().getRequest<Request>().query ?? {});
      if (names.length > 0 && !readsQuery(context)) {
        throw new BadRequestException({
          message: `Unknown query parameter${names.length > 1 ? 's' : ''} ${names.join(', ')}`,
          details: names.map((field) => ({ field, messages: [`property ${field} should not exist`] })),
        });
      }
    }
    return next.handle();
  }
}

function readsQuery(context: ExecutionContext): boolean {
  const argumentsMetadata: Record<string, unknown> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  return Object.keys(argumentsMetadata).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY));
}
