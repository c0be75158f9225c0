import type { Role } from '../domain/roles.js';

/** A user account as the API answers it (never its password hash). */
export interface UserView {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}
