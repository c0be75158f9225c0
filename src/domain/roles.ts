/** Roles from the least to the most trusted: each may do everything the ones before it may. */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** The user a request acts for, as the auth guard attaches it to the request. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
}

/** The less trusted of two roles: an API token acts with at most its owner's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}
