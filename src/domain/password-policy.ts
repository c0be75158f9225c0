/**
 * How long a password chosen by a person (or set through ADMIN_PASSWORD) may be: at least 12 characters, as OWASP
 * ASVS level 2 asks, and short enough to hash cheaply.
 */
export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

export const PASSWORD_LENGTH_MESSAGE = `must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long`;
