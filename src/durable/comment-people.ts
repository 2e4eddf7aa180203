/**
 * A person's comments in a thread, found by the address they gave: an owner erasing their data
 * on request. A comment sent from a browser (its signed commenter cookie) that gave this address
 * in any thread of the blog is theirs too, even where they left the address out: the erasure's job
 * first gathers those browsers from every thread (browsersOf), then erases (commentsFrom).
 */
import type { CommentStatus } from "../core/comments";

/** The commenter cookies that sent a comment with this address here. */
export function browsersOf(sql: SqlStorage, email: string): string[] {
  return sql
    .exec<{ commenter: string }>(
      "SELECT DISTINCT commenter FROM comments WHERE lower(email) = ? AND commenter LIKE 'cookie:%'",
      email.trim().toLowerCase(),
    )
    .toArray()
    .map((r) => r.commenter);
}

export function commentsFrom(
  sql: SqlStorage,
  email: string,
  browsers: readonly string[],
): { id: number; status: CommentStatus; ip: string | null }[] {
  const address = email.trim().toLowerCase();
  const linked = browsers.filter((b) => b.startsWith("cookie:"));
  return sql
    .exec<{ id: number; status: CommentStatus; ip: string | null }>(
      `SELECT id, status, ip FROM comments WHERE status != 'deleted' AND (lower(email) = ? OR commenter IN (SELECT value FROM json_each(?))) ORDER BY id`,
      address,
      JSON.stringify(linked),
    )
    .toArray();
}

/** Keeps a comment's text under `name`, with nothing left of its author: no address, IP, site, cookie or reply mails. */
export function anonymize(sql: SqlStorage, id: number, name: string): void {
  sql.exec(
    "UPDATE comments SET author = ?, author_url = NULL, email = NULL, ip = NULL, notify = 0, commenter = ? WHERE id = ?",
    name,
    `erased:${crypto.randomUUID()}`,
    id,
  );
}
