import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { toBase64url } from "./content/base64url";
import type { AppEnv } from "./config";
import { AppError } from "./errors";

const encoder = new TextEncoder();

/** Compares two secrets in constant time (hashing first so lengths do not leak either). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(a)), crypto.subtle.digest("SHA-256", encoder.encode(b))]);
  // workerd's SubtleCrypto has timingSafeEqual (highlight.js's types pull in the DOM's, which lacks it).
  return (crypto.subtle as unknown as { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean }).timingSafeEqual(x, y);
}

export const MIN_ADMIN_TOKEN = 32;
let warned = false;

/** The admin token when it is strong enough; a shorter one disables admin, with one log line per isolate. */
export function adminToken(env: Env): string | null {
  const token = env.ADMIN_TOKEN;
  if (!token) return null;
  if (token.length < MIN_ADMIN_TOKEN) {
    if (!warned) console.error(`ADMIN_TOKEN is shorter than ${MIN_ADMIN_TOKEN} characters: administration is disabled until a longer one is set.`);
    warned = true;
    return null;
  }
  return token;
}

export const SESSION_COOKIE = "__Host-edge_admin";
const SESSION_MS = 12 * 3600_000;

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(`session:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toBase64url(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/** A signed session value `<expires>.<signature>`, valid 12 hours. */
export async function newSession(env: Env, now = Date.now()): Promise<string | null> {
  const token = adminToken(env);
  if (!token) return null;
  const expires = now + SESSION_MS;
  return `${expires}.${await hmac(token, `session.${expires}`)}`;
}

/** The session cookie's value when it is genuine and unexpired. */
export async function validSession(c: Context): Promise<string | null> {
  const token = adminToken(c.env as Env);
  const raw = getCookie(c, SESSION_COOKIE);
  if (!token || !raw) return null;
  const [expires, sig] = raw.split(".");
  if (!expires || !sig || !/^\d{13}$/.test(expires) || Number(expires) < Date.now()) return null;
  return (await sameSecret(sig, await hmac(token, `session.${expires}`))) ? raw : null;
}

/** The CSRF token of a session, for the hidden field of every admin form. */
export async function csrfToken(env: Env, session: string): Promise<string> {
  return hmac(adminToken(env) ?? "", `csrf.${session}`);
}

/** True when the request carries `Authorization: Bearer <ADMIN_TOKEN>`, or a valid session cookie. */
export async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  const expected = adminToken(c.env);
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!expected) return false;
  if (match) return sameSecret(match[1]!.trim(), expected);
  return (await validSession(c)) !== null;
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!adminToken(c.env)) throw new AppError(401, "unauthorized", `Administration is disabled: no ADMIN_TOKEN secret of at least ${MIN_ADMIN_TOKEN} characters is configured.`);
  if (!(await isAdmin(c))) {
    c.header("WWW-Authenticate", 'Bearer realm="admin"');
    throw new AppError(401, "unauthorized", "This needs Authorization: Bearer <ADMIN_TOKEN> or a signed-in session.");
  }
  await next();
};
