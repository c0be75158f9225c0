import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '../../domain/roles.js';
import { IsPassword, trimmed } from '../../auth/dto/login.dto.js';
import { PASSWORD_LENGTH } from '../../domain/password-policy.js';

export class CreateUserDto {
  @ApiProperty({ example: 'analyst@example.com', description: 'Unique, whatever its case' })
  @Transform(trimmed)
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email: string;

  @ApiProperty({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max })
  @IsString()
  @IsPassword()
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'A new password (reset by an admin); the user’s open sessions end' })
  @IsOptional()
  @IsString()
  @IsPassword()
  password?: string;

  @ApiPropertyOptional({ description: 'A disabled user can neither log in nor use a token issued before' })
  @IsOptional()
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;
}
