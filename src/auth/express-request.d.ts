import type { Credential } from './principal.js';
import type { AuthenticatedUser } from '../domain/roles.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the auth guard once the bearer token checks out. */
    user?: AuthenticatedUser;
    /** The bearer token the user came with (a session's access token or an API token). */
    credential?: Credential;
  }
}
