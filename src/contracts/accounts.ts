import type { Role } from '../domain/roles.js';

/** An account as sign-in sees it, password hash included. */
export interface LoginAccount {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  passwordHash: string;
}

/**
 * The user accounts as authentication needs them (the token Nest injects; `UsersService` provides it), so that the
 * auth folder does not depend on the users folder, whose controllers depend on auth's guard and decorators.
 */
export abstract class Accounts {
  /** The account with this email, whatever its case; null when there is none. */
  abstract findForLogin(email: string): Promise<LoginAccount | null>;
  abstract recordLogin(id: string): Promise<void>;
  /** A user's own change: the caller has checked the current password. Ends every session of the user. */
  abstract changePassword(id: string, newPassword: string): Promise<LoginAccount>;
}
