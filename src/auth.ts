import type { Context, MiddlewareHandler } from "hono";
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

/** True when the request carries `Authorization: Bearer <ADMIN_TOKEN>`. */
export async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  const expected = adminToken(c.env);
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!expected || !match) return false;
  return sameSecret(match[1]!.trim(), expected);
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!adminToken(c.env)) throw new AppError(401, "unauthorized", `Administration is disabled: no ADMIN_TOKEN secret of at least ${MIN_ADMIN_TOKEN} characters is configured.`);
  if (!(await isAdmin(c))) {
    c.header("WWW-Authenticate", 'Bearer realm="admin"');
    throw new AppError(401, "unauthorized", "This needs Authorization: Bearer <ADMIN_TOKEN>.");
  }
  await next();
};
