import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { toBase64url } from "../content/base64url";
import { mac, signToken, verifyToken } from "../content/tokens";
import { SESSION_COOKIE, SESSION_SECONDS, UNSAFE_METHODS } from "../content/vocabulary";
import { sessions } from "../data/stores";
import { AppError } from "../errors";
import { type AppEnv, MIN_ADMIN_TOKEN } from "../settings";

const encoder = new TextEncoder();
/** A session is signed for one blog: its cookie, copied to another blog's host, is worthless there. */
const sessionPurpose = <E extends AppEnv>(c: Context<E>) => {
  const scope = c.var.settings.tokenScope;
  return scope ? `session:${scope}` : "session";
};
const CSRF = "csrf";

/** Compares two secrets in constant time (hashing first so lengths do not leak either). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  // workerd's SubtleCrypto has timingSafeEqual (highlight.js's types pull in the DOM's, which lacks it).
  return (crypto.subtle as unknown as { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean }).timingSafeEqual(x, y);
}

/** Opens a session valid SESSION_SECONDS and answers the cookie value for it; null when administration is disabled. */
export async function newSession<E extends AppEnv>(c: Context<E>, now = Date.now()): Promise<string | null> {
  const adminToken = c.var.settings.adminToken;
  if (!adminToken) return null;
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(16)));
  const expires = now + SESSION_SECONDS * 1000;
  await sessions(c.env).open(id, expires);
  return signToken(adminToken, sessionPurpose(c), id, expires);
}

/** The session id in the request's cookie when the cookie is genuine and unexpired (not yet whether it was ended). */
async function sessionId<E extends AppEnv>(c: Context<E>): Promise<string | null> {
  const token = c.var.settings.adminToken;
  const raw = getCookie(c, SESSION_COOKIE);
  if (!token || !raw) return null;
  return verifyToken(token, sessionPurpose(c), raw, Date.now());
}

/** One answer per request, however many checks ask. */
const checked = new WeakMap<Request, Promise<string | null>>();

/** The session cookie's value when it is genuine, unexpired and its session has not been ended. */
export function validSession<E extends AppEnv>(c: Context<E>): Promise<string | null> {
  let answer = checked.get(c.req.raw);
  if (!answer) {
    answer = sessionId(c).then(async (id) => (id !== null && (await sessions(c.env).active(id)) ? getCookie(c, SESSION_COOKIE)! : null));
    checked.set(c.req.raw, answer);
  }
  return answer;
}

/** Ends the request's session (sign out); a copy of its cookie stops working at once. */
export async function endSession<E extends AppEnv>(c: Context<E>): Promise<void> {
  const id = await sessionId(c);
  checked.delete(c.req.raw);
  if (id !== null) await sessions(c.env).end(id);
}

/** Ends every editor session ("sign out everywhere"). */
export async function endAllSessions<E extends AppEnv>(c: Context<E>): Promise<number> {
  checked.delete(c.req.raw);
  return sessions(c.env).endAll();
}

/** The CSRF token of a session, for the hidden field of every admin form. */
export function csrfToken<E extends AppEnv>(c: Context<E>, session: string): Promise<string> {
  return mac(c.var.settings.adminToken ?? "", CSRF, session);
}

/** The bearer token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(c: Context): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("Authorization") ?? "");
  return match ? match[1]!.trim() : null;
}

/**
 * Whether the request carries credentials of any kind: an Authorization header, or the session
 * cookie as this app's own cookie parser reads it. Answers to such requests depend on who asks:
 * they are `private, no-store` and the page caches neither serve nor keep them.
 */
export function hasCredentials(c: Context): boolean {
  return c.req.header("Authorization") !== undefined || getCookie(c, SESSION_COOKIE) !== undefined;
}

/** The header a signed-in page sends its CSRF token in when it writes through the JSON API. */
export const CSRF_HEADER = "X-CSRF-Token";

/**
 * True when the request carries `Authorization: Bearer <ADMIN_TOKEN>`, or a valid session cookie;
 * a write with the cookie must also carry the session's CSRF token (X-CSRF-Token), since the
 * cookie alone is sent by the browser whatever page asks.
 */
export async function isAdmin<E extends AppEnv>(c: Context<E>): Promise<boolean> {
  const expected = c.var.settings.adminToken;
  if (!expected) return false;
  const bearer = bearerToken(c);
  if (bearer !== null) return sameSecret(bearer, expected);
  const session = await validSession(c);
  if (session === null) return false;
  if (!UNSAFE_METHODS.has(c.req.method)) return true;
  return sameSecret(c.req.header(CSRF_HEADER) ?? "", await csrfToken(c, session));
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.settings.adminToken) {
    throw new AppError(
      "unauthorized",
      `Administration is disabled: no ADMIN_TOKEN secret of at least ${MIN_ADMIN_TOKEN} characters is configured.`,
    );
  }
  if (!(await isAdmin(c))) {
    c.header("WWW-Authenticate", 'Bearer realm="admin"');
    throw new AppError("unauthorized", "This needs Authorization: Bearer <ADMIN_TOKEN> or a signed-in session.");
  }
  await next();
};
