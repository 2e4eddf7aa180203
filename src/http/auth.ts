import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { toBase64url } from "../content/base64url";
import { mac, signToken, verifyToken } from "../content/tokens";
import { SESSION_COOKIE, SESSION_SECONDS } from "../content/vocabulary";
import { AppError } from "../errors";
import { type AppEnv, MIN_ADMIN_TOKEN } from "../settings";

const encoder = new TextEncoder();
const SESSION = "session";
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

/** A new signed session value, valid SESSION_SECONDS; null when administration is disabled. */
export async function newSession(adminToken: string | null, now = Date.now()): Promise<string | null> {
  if (!adminToken) return null;
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(16)));
  return signToken(adminToken, SESSION, id, now + SESSION_SECONDS * 1000);
}

/** The session cookie's value when it is genuine and unexpired. */
export async function validSession<E extends AppEnv>(c: Context<E>): Promise<string | null> {
  const token = c.var.settings.adminToken;
  const raw = getCookie(c, SESSION_COOKIE);
  if (!token || !raw) return null;
  return (await verifyToken(token, SESSION, raw, Date.now())) === null ? null : raw;
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

/** True when the request carries `Authorization: Bearer <ADMIN_TOKEN>`, or a valid session cookie. */
export async function isAdmin<E extends AppEnv>(c: Context<E>): Promise<boolean> {
  const expected = c.var.settings.adminToken;
  if (!expected) return false;
  const bearer = bearerToken(c);
  if (bearer !== null) return sameSecret(bearer, expected);
  return (await validSession(c)) !== null;
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
