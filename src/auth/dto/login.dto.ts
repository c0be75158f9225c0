import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { PASSWORD_LENGTH, PASSWORD_LENGTH_MESSAGE } from '../../domain/password-policy.js';

export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A password as a user chooses it: long enough to resist guessing, short enough to hash cheaply. */
export function IsPassword() {
  return Length(PASSWORD_LENGTH.min, PASSWORD_LENGTH.max, {
    message: `$property ${PASSWORD_LENGTH_MESSAGE}`,
  });
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
