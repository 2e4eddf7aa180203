import { commentHtml } from "./comment-html";
import type { CommentDoc } from "./comment-markdown";

/** How a blog treats new comments: shown at once, the first of each commenter held, or every one held. */
export type Moderation = "open" | "first-time" | "all";
export const MODERATIONS: readonly Moderation[] = ["open", "first-time", "all"];
export type CommentStatus = "published" | "held" | "hidden" | "deleted";

/** A comment as the worker sees it; the commenter's email and IP never leave the thread. */
export interface CommentView {
  id: number;
  postSlug: string;
  parentId: number | null;
  author: string;
  /** The author's web site (imported comments only), an http(s) address. */
  authorUrl: string | null;
  doc: CommentDoc;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
}

export interface CreateInput {
  author: string;
  body: string;
  email: string | null;
  parentId: number | null;
  ip: string | null;
  /** The id in the reader's signed commenter cookie (see http/commenter.ts); null: a stranger. */
  commenter: string | null;
  /** Mail the commenter (at `email`) when someone replies. */
  notify?: boolean;
}

/** The blog's comment rules, passed with every call so the thread never reads env itself. */
export interface CommentRules {
  moderation: Moderation;
  /** Comments per IP per minute; 0 turns the limit off. */
  rateLimit: number;
  /** Comments per minute on one post from all addresses together (COMMENT_POST_LIMIT); 0 turns it off; absent: the default. */
  postLimit?: number;
  blockedWords: string[];
  /** HMAC secret for edit tokens; when absent the thread keeps a random one of its own. */
  secret: string | null;
}

/** A reply from the fediverse, as the federation worker hands it to the post's thread. */
export interface RemoteReply {
  /** The Note's id (its URL). */
  id: string;
  /** The actor who wrote it (their id). */
  actor: string;
  /** Their handle, `@name@host`. */
  author: string;
  /** Their profile page. */
  authorUrl: string | null;
  /** The Note's text, as Markdown-safe plain text (never HTML). */
  body: string;
  /** What it answers: null (the post), one of our comment ids, or another reply's Note id. */
  parent: number | string | null;
}

/** Likes and boosts from the fediverse. */
export type Reaction = "like" | "announce";
export type Reactions = Record<Reaction, number>;

/** Who acts on a comment: an admin, or whoever holds its edit token. */
export type Auth = { admin: true } | { admin: false; token: string };

/** The API's Comment: never the commenter's email or IP. */
export interface ApiComment {
  id: number;
  postSlug: string;
  parentId: number | null;
  author: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
}

export function apiComment(c: CommentView): ApiComment {
  return {
    id: c.id,
    postSlug: c.postSlug,
    parentId: c.parentId,
    author: c.author,
    html: commentHtml(c.doc),
    createdAt: c.createdAt,
    editedAt: c.editedAt,
  };
}

/**
 * What a live-comments WebSocket receives, as JSON: the one list shared by the thread that sends
 * it and by public/live-comments.js and public/admin-live.js (type-checked against it).
 * `count` and `version` are the thread's published count and version after the change.
 */
export type LiveEvent =
  | { type: "hello"; count: number; version: number }
  | { type: "comment.created" | "comment.edited" | "comment.approved"; id: number; comment: ApiComment; count: number; version: number }
  /** Without count and version: a held comment that went away, sent to signed-in editors only. */
  | { type: "comment.removed"; id: number; count?: number; version?: number }
  /** To signed-in editors only: a comment waiting for moderation. */
  | { type: "comment.held"; id: number; comment: ApiComment };
