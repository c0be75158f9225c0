import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { QueryBoolean } from '../../common/decorators.js';
import { API_TOKEN_DAYS } from '../../contracts/auth.js';
import { ROLES, type Role } from '../../domain/roles.js';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Quarterly BI refresh', description: 'What the token is for, 1 to 100 characters' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters long' })
  name: string;

  @ApiPropertyOptional({ enum: ROLES, default: 'viewer', description: 'At most your own role' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ minimum: 1, maximum: API_TOKEN_DAYS.max, default: API_TOKEN_DAYS.default })
  @IsOptional()
  @IsInt({ message: 'expiresInDays must be a whole number of days' })
  @Min(1, { message: `expiresInDays must be 1 to ${API_TOKEN_DAYS.max}` })
  @Max(API_TOKEN_DAYS.max, { message: `expiresInDays must be 1 to ${API_TOKEN_DAYS.max}` })
  expiresInDays?: number;
}

export class ListApiTokensQuery {
  @ApiPropertyOptional({ description: 'Every user’s tokens rather than your own (admin only)' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'all must be true or false' })
  all?: boolean;
}
