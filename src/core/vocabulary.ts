/**
 * The request vocabulary: names, patterns, lifetimes and limits that more than one module needs.
 * Everything else imports these. The slug's shape is written out twice more, on purpose: in a blog
 * name (content/blogs.ts BLOG_NAME, with its length) and in the create form's HTML `pattern`.
 */

/** A post slug: lowercase letters and digits in runs joined by single hyphens (the file name in posts/). */
export const POST_SLUG_SOURCE = "[a-z0-9]+(?:-[a-z0-9]+)*";
export const POST_SLUG = new RegExp(`^${POST_SLUG_SOURCE}$`);
export const MAX_SLUG_LENGTH = 100;

/** A tag's URL form (see `slugify`): letters of any script, digits and single hyphens. */
export const TAG_SLUG = /^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u;
export const MAX_TAG_SLUG_LENGTH = 64;

/** A comment id (or any row id) as it appears in a URL or a form: a positive whole number. */
export const NUMERIC_ID = /^\d{1,15}$/;

const ASCII = /^[\x00-\x7f]*$/;

/** Folds case and accents: "Zürich" → "zurich". */
export function fold(text: string): string {
  // Plain ASCII (most words) is its own NFKD form: only the case changes.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** The URL form of a name: "Économie & Climat" → "economie-climat" (at most `max` characters). */
export function slugify(text: string, max: number): string {
  return fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max);
}

/** Methods that change state: CSRF checks apply, and only their successful answers count as writes. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The signed-in editor's session cookie (`__Host-`: HTTPS only, this host only, path /). */
export const SESSION_COOKIE = "__Host-edge_admin";
/** The language a person chose for the administration on this browser (/admin/me). */
export const LANGUAGE_COOKIE = "__Host-edge_lang";
/** The editor a person writes in (public/editor/modes.js reads it: not HttpOnly), kept with the person too. */
export const EDITOR_MODE_COOKIE = "__Host-edge_editor";
export const EDITOR_MODES = ["rich", "markdown"] as const;
/** How long a browser session lasts. */
export const SESSION_SECONDS = 12 * 3600;

/** Set by the worker on a signed-in editor's live-comments upgrade only (and stripped from everyone else's). */
export const ADMIN_LISTENER_HEADER = "X-Admin-Listener";
/** Set by the worker on every live-comments upgrade: the listener's address bucket, for the caps below. */
export const LISTENER_BUCKET_HEADER = "X-Listener-Bucket";
/** Live-comment sockets one address (IPv6: one /64) may hold on one post, and one post may hold in all. */
export const LIVE_PER_ADDRESS = 64;
export const LIVE_PER_POST = 5000;

/** A commenter's signed id: the only thing "first-time" moderation trusts (never a name or an unverified email). */
export const COMMENTER_COOKIE = "__Host-commenter";
export const COMMENTER_SECONDS = 365 * 24 * 3600;

/** How long a commenter may edit or delete their comment with its edit token. */
export const EDIT_WINDOW_MS = 15 * 60_000;
/** Comments a browser may still edit, as `id.until.token` entries (read by public/live-comments.js, so not HttpOnly; one post's path). */
export const COMMENT_EDITS_COOKIE = "comment-edits";
/** The name a browser last commented under, offered again in the form (read by public/live-comments.js too; a display name, never trusted). */
export const COMMENT_NAME_COOKIE = "comment-name";
/** How long a deleted post stays in the trash, restorable. */
export const TRASH_MS = 30 * 24 * 3600_000;
/** Earlier versions kept per post (each save keeps the one it replaces). */
export const REVISIONS_KEPT = 20;
/** The largest image the editor or the publish script may upload. */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;
/** How long a subscription confirmation link stays good. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600_000;

/** Timeouts of the Durable Object calls, owned by the typed clients in data/. */
export const TIMEOUTS = {
  /** Comment threads, subscribers, the outbox: small SQLite reads and writes. */
  default: 5_000,
  /** The post page's own call to its comment thread: the page degrades rather than waits. */
  postPage: 3_000,
  /** A save through the SiteEditor rebuilds and writes the listings. */
  editor: 25_000,
} as const;

/** The largest request body any route reads. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Comment limits, shared by the validators, the form's attributes and the thread. */
export const MAX_AUTHOR_LENGTH = 80;
export const MAX_COMMENT_LENGTH = 5000;
/**
 * Comments a minute one post takes from all readers together, by default (COMMENT_POST_LIMIT):
 * 300 lets 200 readers of a breaking-news post comment in the same minute, while bounding what
 * one thread object writes and fans out to its live readers (at most 5 comments a second, each
 * sent to up to LIVE_PER_POST sockets).
 */
export const DEFAULT_POST_COMMENT_LIMIT = 300;
/**
 * An imported comment's Markdown, in bytes: what another platform already published comes across
 * whole (WordPress keeps up to 65,525 bytes a comment); the 5,000 characters above are for new ones.
 */
export const MAX_IMPORTED_COMMENT_BYTES = 64 * 1024;
export const MAX_EMAIL_LENGTH = 254;
/** Search queries longer than this are refused. */
export const MAX_QUERY_LENGTH = 200;
