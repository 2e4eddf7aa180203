import { countLinks, type CommentDoc } from "./comment-markdown";
import type { CommentRules } from "./comments";
import { signToken, tokenExpiry, verifyToken } from "./tokens";
import { EDIT_WINDOW_MS } from "./vocabulary";
import { secondsToWait } from "./windows";

/**
 * The rules a comment thread applies, apart from where it keeps its rows: which comments wait
 * for a moderator, how often one address and one post may take a comment, and the edit tokens
 * that let an author change their comment for 15 minutes. Plain functions, tested in the Node tier.
 */

/** The sliding window comment limits count over. */
export const COMMENT_WINDOW_MS = 60_000;

/** More links than this and a comment waits for a moderator: the usual shape of spam. */
export const MAX_LINKS_UNHELD = 2;

/** The spam rules alone: too many links, or a blocked word (as a whole word, any case, any script). */
export function heldBySpamRules(doc: CommentDoc, body: string, blockedWords: readonly string[]): boolean {
  if (countLinks(doc) > MAX_LINKS_UNHELD) return true;
  const lower = body.toLowerCase();
  return blockedWords.some(
    (w) => w && new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}\\p{N}])`, "u").test(lower),
  );
}

/**
 * Whether a comment waits for a moderator: the blog's mode first ("all"; "first-time" holds
 * whoever has no published comment here yet — asked only in that mode), then the spam rules.
 */
export function needsModeration(policy: CommentRules, doc: CommentDoc, body: string, hasPublished: () => boolean): boolean {
  if (policy.moderation === "all") return true;
  if (policy.moderation === "first-time" && !hasPublished()) return true;
  return heldBySpamRules(doc, body, policy.blockedWords);
}

export interface CommentLimit {
  /** The times (oldest first) of the comments counted in the window, read only if its limit is on. */
  times: () => { at: number }[];
  /** 0 turns it off. */
  max: number;
  /** What a refused reader is told, before the wait. */
  refusal: string;
}

/** The first limit a new comment would break, with the whole seconds to wait; null when it may be taken now. */
export function firstLimitHit(limits: readonly CommentLimit[], now: number): { message: string; retryAfter: number } | null {
  for (const { times, max, refusal } of limits) {
    if (max <= 0) continue;
    const retryAfter = secondsToWait(times(), COMMENT_WINDOW_MS, max, now);
    if (retryAfter !== null) return { message: `${refusal}. Try again in ${retryAfter} seconds.`, retryAfter };
  }
  return null;
}

const EDIT_TOKEN = "comment-edit";

/**
 * Names one comment of one thread's lifetime: `generation` is a random value of the thread's
 * storage, so a token signed before the thread was purged (its blog deleted, the name taken
 * again) is worthless afterwards whatever secret the caller signs with.
 */
const editSubject = (slug: string, id: number, generation: string) => `${slug}:${id}:${generation}`;

export function signEditToken(secret: string, slug: string, id: number, generation: string, expires: number): Promise<string> {
  return signToken(secret, EDIT_TOKEN, editSubject(slug, id, generation), expires);
}

/** Whether `token` lets its holder change this comment now: signed for it, unexpired, and never longer than the edit window. */
export async function editTokenValid(
  secret: string,
  token: string,
  comment: { slug: string; id: number; generation: string },
  now: number,
): Promise<boolean> {
  const expires = tokenExpiry(token);
  if (expires === null || expires > now + EDIT_WINDOW_MS) return false;
  return (await verifyToken(secret, EDIT_TOKEN, token, now)) === editSubject(comment.slug, comment.id, comment.generation);
}
