/** A post as the editor wrote it, after front-matter validation. */
export interface PostSource {
  slug: string;
  title: string;
  /** ISO 8601, UTC (`toISOString()`). */
  date: string;
  updated: string | null;
  /** null: the blog's author (`BLOG_AUTHOR`) at request time. */
  author: string | null;
  tags: string[];
  summary: string | null;
  draft: boolean;
  markdown: string;
  /** The post's image on cards, its page and link previews: a path on the blog or an https URL. */
  cover?: string | null;
  /**
   * A page (About, Contact, Legal notice) rather than a post: at /pages/<slug>, with no date shown
   * and never in listings, tags, search, feeds, announcements or the fediverse. Absent: a post.
   */
  type?: "page";
  /** A page takes comments only when this is true (a post always does). */
  comments?: boolean;
  /** Whether subscribers get the post by mail when it goes public; absent: as the blog's setting says. Never for a page. */
  email?: boolean;
}

/**
 * A source's fields of its kind as a record keeps them: `type` and `comments` for a page (comments
 * only when on), `email` for a post when it says.
 */
export function kindFields(p: { type?: unknown; comments?: unknown; email?: unknown }): Pick<PostSource, "type" | "comments" | "email"> {
  if (p.type === "page") return { type: "page", ...(p.comments === true ? { comments: true } : {}) };
  return typeof p.email === "boolean" ? { email: p.email } : {};
}

/** A neighbour of a post, for previous/next links. */
export interface PostLink {
  slug: string;
  title: string;
  date: string;
}

/** What a listing shows for one post. */
export interface PostSummaryRecord {
  slug: string;
  title: string;
  date: string;
  updated: string | null;
  author: string | null;
  tags: string[];
  summary: string;
  readingTime: number;
  cover?: string;
}

/** The KV value of one post: HTML rendered at publish time. */
export interface PostRecord extends PostSummaryRecord {
  v: 1;
  draft: boolean;
  html: string;
  /** Table of contents, for long posts only. */
  toc: { id: string; text: string; depth: number }[];
  /** The next older post (always public when this one is). */
  older: PostLink | null;
  /** Newer posts, oldest first, up to the first one already public at publish time: the reader sees the first one public at request time. */
  newer: PostLink[];
  /** The mark of the post's imported comments, when it has some (see content/imports.ts). */
  imported?: string;
  /** A page (see PostSource.type), and whether it takes comments. */
  type?: "page";
  comments?: boolean;
  /** See PostSource.email. */
  email?: boolean;
}

/**
 * The newest part of a listing (home or a tag) and all a reader needs to page it: one key.
 * Positions count from the oldest public post, so adding a newer post never moves an older one:
 * `recent` holds positions [start, total) (start a multiple of CHUNK, so CHUNK to 2 × CHUNK − 1
 * posts once the listing is that long), and each full chunk below `start` has its own key that
 * a new post never rewrites.
 */
export interface ListingHead {
  v: 2;
  name: string;
  /** Posts public when the head was written. */
  total: number;
  start: number;
  /** Oldest first. */
  recent: PostSummaryRecord[];
  /** Future posts, newest first; a reader shows those whose time has come above `recent`. */
  scheduled: PostSummaryRecord[];
}

/** Positions [index × CHUNK, (index + 1) × CHUNK) of a listing, oldest first. */
export interface ListingBlock {
  v: 2;
  items: PostSummaryRecord[];
}

/**
 * The layout before several blogs (still read when no head exists): one chunk of a paged listing, newest first.
 * `items` are posts public at publish time, positions [start, start + items.length) of that list;
 * each chunk reaches back by the number of scheduled posts, so that once some of those become
 * public a page still costs one read. `scheduled` are the listing's future posts, newest first.
 */
export interface ListingChunk {
  v: 1;
  name: string;
  total: number;
  start: number;
  items: PostSummaryRecord[];
  scheduled: PostSummaryRecord[];
}

/** One tag of the `v1:tags` key. */
export interface TagRecord {
  slug: string;
  name: string;
  /** Posts public at publish time, and the newest one's last change. */
  published: number;
  lastmod: string | null;
  /** Dates of the tag's scheduled posts. */
  scheduled: string[];
}

/** A post's source as KV keeps it for editing in the browser (`v1:sources:<n>`). */
export interface SourceRecord extends PostSource {
  /** Where the current version was written. */
  origin: "file" | "browser";
  /** When it was last saved in the browser. */
  editedAt: string | null;
  /** What rendering gave, so the editor object can list the post without rendering it again. */
  derived?: { summary: string; readingTime: number };
}

/** One `v1:sources:<n>` key: the sources whose slug hashes to n. */
export interface SourcesChunk {
  v: 1;
  posts: Record<string, SourceRecord>;
}

/** The `pages` key of a blog: its public pages, for the sitemap and the menu. */
export interface PagesRecord {
  v: 1;
  pages: { slug: string; title: string; date: string; updated: string | null }[];
}
