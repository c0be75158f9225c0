import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { invalidField } from '../common/errors.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { hashPassword, verifyPassword } from './password.js';
import type { AuthenticatedUser } from './roles.js';

interface TokenClaims {
  sub: string;
  /** The user's token version when the token was issued. */
  tv: number;
}

export interface Session {
  accessToken: string;
  user: AuthenticatedUser;
}

/** A hash to compare against when the email is unknown, so a wrong email takes as long as a wrong password. */
const UNKNOWN_USER_HASH = hashPassword('no such user: this never matches');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async login(email: string, password: string): Promise<Session> {
    const user = await this.users.findForLogin(email);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await UNKNOWN_USER_HASH));
    if (!user || !matches) throw new UnauthorizedException('Wrong email or password');
    if (user.disabled) throw new UnauthorizedException('This account is disabled');
    await this.users.recordLogin(user.id);
    return this.session(user);
  }

  /** The user a bearer token stands for; 401 for a bad, expired or revoked token or a disabled account. */
  async authenticate(token: string): Promise<AuthenticatedUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(token);
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'The token has expired: log in again' : 'The token is not valid');
    }
    const user = typeof claims.sub === 'string' ? await this.users.findById(claims.sub) : null;
    if (!user || user.tokenVersion !== claims.tv) throw new UnauthorizedException('The token is no longer valid: log in again');
    if (user.disabled) throw new UnauthorizedException('This account is disabled');
    return { id: user.id, email: user.email, role: user.role };
  }

  /** Changes the caller's own password after checking the current one; returns a new token (older ones stop working). */
  async changePassword(actor: AuthenticatedUser, currentPassword: string, newPassword: string): Promise<Session> {
    const user = await this.users.findForLogin(actor.email);
    if (!user || user.id !== actor.id || !(await verifyPassword(currentPassword, user.passwordHash))) {
      // 400, not 401: the session is fine, only the field is wrong (a 401 would send the client back to login).
      throw invalidField('currentPassword', 'the current password is wrong');
    }
    return this.session(await this.users.changePassword(user.id, newPassword));
  }

  private async session(user: User): Promise<Session> {
    const claims: TokenClaims = { sub: user.id, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.options.tokenTtlSeconds });
    return { accessToken, user: { id: user.id, email: user.email, role: user.role } };
  }
}
