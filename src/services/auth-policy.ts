/**
 * Session and sign-in limits, in one place. Values follow OWASP Session Management and
 * Authentication Cheat Sheets (idle 15–30 min for sensitive applications; lockout after a
 * handful of failures) — a clinic can revisit them later as settings.
 */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
/** last_seen_at is refreshed at most this often, so reads do not each cost a write. */
export const SESSION_TOUCH_SECONDS = 60;

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_MAX_FAILURES = 5;
export const IP_MAX_FAILURES = 20;
export const LOCKOUT_SECONDS = 15 * 60;

export const PASSWORD_RESET_SECONDS = 60 * 60;
export const INVITATION_SECONDS = 72 * 60 * 60;
