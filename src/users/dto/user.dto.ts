import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles.js';
import { PASSWORD_LENGTH, PASSWORD_LENGTH_MESSAGE } from '../../domain/password-policy.js';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A password as a user chooses it: long enough to resist guessing, short enough to hash cheaply. */
export function IsPassword() {
  return Length(PASSWORD_LENGTH.min, PASSWORD_LENGTH.max, {
    message: `$property ${PASSWORD_LENGTH_MESSAGE}`,
  });
}

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

export class LoginDto {
  @ApiProperty({ example: 'admin@ledger.local' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 254)
  email: string;

  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_LENGTH.max)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_LENGTH.max)
  currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max })
  @IsString()
  @IsPassword()
  newPassword: string;
}
