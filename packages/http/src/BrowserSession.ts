/**
 * The names the browser's session uses, apart from the API definition so the web UI can import
 * them without evaluating it (`@cratos/http/browserSession`: two strings, no Effect).
 */

/** The session cookie the login link sets (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = "cratos_session"

/** The header a browser sends with every state-changing request (CSRF guard, with Origin). */
export const CSRF_HEADER = "x-cratos-csrf"
