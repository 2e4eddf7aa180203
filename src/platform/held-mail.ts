/**
 * What a blog's members are mailed of comments waiting for moderation: each one as it comes, a
 * daily digest, or nothing (their choice on /admin/me; by default each for owners and moderators,
 * nothing for editors, who write more than they moderate). Kept in the blog's Accounts object.
 */
import { HELD_MAIL, type HeldMail, type Role } from "../core/people";

export type { HeldMail };

/** A day between digests. */
export const DIGEST_MS = 24 * 3600_000;

const modeOf = (stored: string | null, role: string): HeldMail =>
  (HELD_MAIL as readonly string[]).includes(stored ?? "") ? (stored as HeldMail) : role === "editor" ? "none" : "each";

export function heldMailOf(sql: SqlStorage, blog: string, personId: number): HeldMail | null {
  const row = sql
    .exec<{ held_mail: string | null; role: Role }>("SELECT held_mail, role FROM members WHERE blog = ? AND person_id = ?", blog, personId)
    .toArray()[0];
  return row ? modeOf(row.held_mail, row.role) : null;
}

export function setHeldMail(sql: SqlStorage, blog: string, personId: number, mode: HeldMail): void {
  sql.exec("UPDATE members SET held_mail = ? WHERE blog = ? AND person_id = ?", mode, blog, personId);
}

function recipients(sql: SqlStorage, blog: string, mode: HeldMail): string[] {
  return sql
    .exec<{ email: string; held_mail: string | null; role: string }>(
      "SELECT p.email, m.held_mail, m.role FROM members m JOIN people p ON p.id = m.person_id WHERE m.blog = ?",
      blog,
    )
    .toArray()
    .filter((r) => modeOf(r.held_mail, r.role) === mode)
    .map((r) => r.email);
}

/**
 * A comment now waits: who is mailed at once, and whether a digest must be scheduled (the first
 * comment of a digest's day, when someone takes the digest).
 */
export function heldNotice(
  sql: SqlStorage,
  blog: string,
  slug: string,
  id: number,
  now: number,
): { each: string[]; scheduleDigest: boolean } {
  const digest = recipients(sql, blog, "digest").length > 0;
  let scheduleDigest = false;
  if (digest) {
    scheduleDigest = sql.exec("SELECT 1 FROM held_digest LIMIT 1").toArray().length === 0;
    sql.exec("INSERT INTO held_digest (slug, comment_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", slug, id, now);
  }
  return { each: recipients(sql, blog, "each"), scheduleDigest };
}

/**
 * The digest, once a day after its first comment: who gets it and how many comments wait per
 * post (the list is emptied); or how long to wait still.
 */
export function takeDigest(
  sql: SqlStorage,
  blog: string,
  now: number,
): { waitMs: number; to: string[]; posts: { slug: string; count: number }[] } {
  const first = sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM held_digest").one().at;
  if (first === null) return { waitMs: 0, to: [], posts: [] };
  const waitMs = first + DIGEST_MS - now;
  if (waitMs > 0) return { waitMs, to: [], posts: [] };
  const posts = sql
    .exec<{ slug: string; count: number }>("SELECT slug, COUNT(*) AS count FROM held_digest GROUP BY slug ORDER BY count DESC, slug")
    .toArray();
  sql.exec("DELETE FROM held_digest");
  return { waitMs: 0, to: recipients(sql, blog, "digest"), posts };
}
