import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { toBase64url } from "../content/base64url";
import { signToken, verifyToken } from "../content/tokens";
import { COMMENTER_COOKIE, COMMENTER_SECONDS } from "../content/vocabulary";
import type { AppEnv } from "../settings";

const PURPOSE = "commenter";

/**
 * The commenter's id from their signed cookie, or a new one set on this answer. A comment
 * approved under "first-time" moderation trusts this id, so the same browser's next comments
 * show at once; a stranger cannot copy it (it is signed, HttpOnly, this host only), unlike a
 * display name or an unverified email. Without an ADMIN_TOKEN there is no secret and no trust.
 */
export async function commenterOf(c: Context<AppEnv>): Promise<string | null> {
  const secret = c.var.settings.comments.secret;
  if (!secret) return null;
  const cookie = getCookie(c, COMMENTER_COOKIE);
  const known = cookie ? await verifyToken(secret, PURPOSE, cookie, Date.now()) : null;
  if (known) return known;
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(16)));
  setCookie(c, COMMENTER_COOKIE, await signToken(secret, PURPOSE, id, 0), {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: COMMENTER_SECONDS,
  });
  return id;
}
