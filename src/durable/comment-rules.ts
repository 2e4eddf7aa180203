/** The rules a comment meets before it is stored: readable Markdown, the blog's moderation rules, the rate limits. */
import { type CommentDoc, parseComment } from "../core/comment-markdown";
import { firstLimitHit, needsModeration } from "../core/comment-policy";
import type { CommentRules } from "../core/comments";
import { log } from "../core/log";
import { type Failure, failure } from "../errors";

/** Parses a commenter's Markdown; a body the parser cannot handle is refused with a clear message, never a 5xx. */
export function parseOrFail(body: string): CommentDoc | Failure {
  try {
    return parseComment(body);
  } catch (err) {
    log("error", "comment parse failed", { error: err });
    return failure(
      "invalid_comment",
      "This comment's formatting could not be read. Use fewer nested quotes, lists or emphasis markers and try again.",
    );
  }
}

/** Whether the blog's rules hold this text by this commenter (core/comment-policy.ts). */
export function heldByRules(sql: SqlStorage, commenter: string, doc: CommentDoc, body: string, policy: CommentRules): boolean {
  return needsModeration(
    policy,
    doc,
    body,
    () => sql.exec("SELECT 1 FROM comments WHERE commenter = ? AND status = 'published' LIMIT 1", commenter).toArray().length > 0,
  );
}

/**
 * The per-address limit (IPv6 by /64) and the post's ceiling over all addresses together,
 * so that rotating addresses cannot flood a thread: a failure to answer, or null.
 */
export function limited(sql: SqlStorage, bucket: string, perAddress: number, perPost: number, now: number): Failure | null {
  const hit = firstLimitHit(
    [
      {
        times: () => sql.exec<{ at: number }>("SELECT at FROM hits WHERE ip = ? ORDER BY at", bucket).toArray(),
        max: perAddress,
        refusal: "Too many comments from your address",
      },
      {
        times: () => sql.exec<{ at: number }>("SELECT at FROM hits ORDER BY at").toArray(),
        max: perPost,
        refusal: "Too many comments on this post right now",
      },
    ],
    now,
  );
  return hit && failure("rate_limited", hit.message, hit.retryAfter);
}
