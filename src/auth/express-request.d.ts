import type { AuthenticatedUser } from './roles.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the auth guard once the bearer token checks out. */
    user?: AuthenticatedUser;
  }
}
