import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { toBase64url } from "../core/base64url";
import { signToken, verifyToken } from "../core/tokens";
import {
  COMMENT_EDITS_COOKIE,
  COMMENT_NAME_COOKIE,
  COMMENTER_COOKIE,
  COMMENTER_SECONDS,
  EDIT_WINDOW_MS,
  NUMERIC_ID,
} from "../core/vocabulary";
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

/** This browser's edit tokens for a post's comments: `id:token` entries, still-valid ones only. */
function editEntries(c: Context<AppEnv>, now: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of (getCookie(c, COMMENT_EDITS_COOKIE) ?? "").split("~")) {
    const [id, token] = entry.split(":");
    const expires = Number(token?.split(".")[1]);
    if (id && NUMERIC_ID.test(id) && token && expires > now) out.set(Number(id), token);
  }
  return out;
}

/**
 * Keeps a new comment's edit token in a cookie of the post's path, so its author sees "Edit" on it
 * for 15 minutes (public/live-comments.js reads the cookie; the edit page sends the token).
 */
export function rememberEdit(c: Context<AppEnv>, slug: string, id: number, token: string): void {
  const entries = editEntries(c, Date.now());
  entries.set(id, token);
  const value = [...entries].map(([i, t]) => `${i}:${t}`).join("~");
  setCookie(c, COMMENT_EDITS_COOKIE, value, { secure: true, sameSite: "Lax", path: `/posts/${slug}`, maxAge: EDIT_WINDOW_MS / 1000 });
}

/** The comments this browser may still edit on the request's post (their ids). */
export function ownComments(c: Context<AppEnv>): number[] {
  return [...editEntries(c, Date.now()).keys()];
}

/** Remembers the name a comment was signed with, so the form offers it next time. */
export function rememberName(c: Context<AppEnv>, name: string): void {
  // Hono's setCookie writes the value URL-encoded (and getCookie decodes it).
  setCookie(c, COMMENT_NAME_COOKIE, name, { secure: true, sameSite: "Lax", path: "/", maxAge: COMMENTER_SECONDS });
}

/** The name this browser last commented under, if any. */
export function rememberedName(c: Context<AppEnv>): string | undefined {
  return getCookie(c, COMMENT_NAME_COOKIE)?.slice(0, 100) || undefined;
}

/** The edit token this browser holds for comment `id`, if still valid. */
export function editTokenFor(c: Context<AppEnv>, id: number): string | null {
  return editEntries(c, Date.now()).get(id) ?? null;
}
