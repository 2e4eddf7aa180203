/**
 * The editor object's SQLite: a blog's posts as the source of truth for edits made in the
 * browser or through the API, with what listing positions, neighbour links and the tag index
 * need, so a save reads a few rows instead of the whole blog.
 */
import { isListed } from "../core/build";
import { type ListingRef, sourceChunk } from "../core/keys";
import type { PostLink, PostSummaryRecord, SourceRecord, TagRecord } from "../core/types";
import type { Migration } from "./sqlite";

export const EDITOR_MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec(`CREATE TABLE posts (
      slug TEXT PRIMARY KEY,
      date TEXT NOT NULL,
      updated TEXT,
      title TEXT NOT NULL,
      draft INTEGER NOT NULL,
      source TEXT NOT NULL,
      summary TEXT NOT NULL,
      chunk INTEGER NOT NULL,
      doc_id INTEGER
    )`);
    // Listing order is date, then slug backwards (as the publish script sorts): the indexes follow it so no query sorts.
    sql.exec("CREATE INDEX posts_order ON posts (draft, date, slug DESC)");
    sql.exec("CREATE INDEX posts_chunk ON posts (chunk)");
    sql.exec("CREATE UNIQUE INDEX posts_doc ON posts (doc_id)");
    sql.exec(`CREATE TABLE post_tags (
      tag TEXT NOT NULL,
      slug TEXT NOT NULL,
      name TEXT NOT NULL,
      date TEXT NOT NULL,
      PRIMARY KEY (tag, slug)
    )`);
    sql.exec("CREATE INDEX post_tags_order ON post_tags (tag, date, slug DESC)");
    sql.exec("CREATE INDEX post_tags_slug ON post_tags (slug)");
    // Where each listing's head started when last written: the blocks below it exist in KV.
    sql.exec("CREATE TABLE listings (name TEXT PRIMARY KEY, start INTEGER NOT NULL)");
    sql.exec("CREATE TABLE edited (slug TEXT PRIMARY KEY, at TEXT NOT NULL, deleted INTEGER NOT NULL)");
    sql.exec("CREATE TABLE touched (key TEXT PRIMARY KEY)");
    // The search delta (documents changed since the buckets were merged) and what merging must remove.
    sql.exec("CREATE TABLE delta_docs (doc_id INTEGER PRIMARY KEY, date INTEGER NOT NULL, terms TEXT NOT NULL, rev INTEGER NOT NULL)");
    sql.exec("CREATE TABLE delta_dead (doc_id INTEGER PRIMARY KEY)");
    sql.exec("CREATE TABLE stale (id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id INTEGER NOT NULL, terms TEXT NOT NULL)");
    // A merge in progress: the buckets still to rewrite and the documents it merges.
    sql.exec("CREATE TABLE merge_buckets (bucket INTEGER PRIMARY KEY)");
    sql.exec("CREATE TABLE merge_docs (doc_id INTEGER PRIMARY KEY, terms TEXT, date INTEGER, rev INTEGER, dead INTEGER NOT NULL)");
  },
  // The trash and the revisions are the editor's own: a publish that replaces the posts (clear()) keeps them.
  (sql) => {
    sql.exec("CREATE TABLE trash (slug TEXT PRIMARY KEY, deleted_at TEXT NOT NULL, source TEXT NOT NULL)");
    sql.exec(
      "CREATE TABLE revisions (id INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL, saved_at TEXT NOT NULL, source TEXT NOT NULL)",
    );
    sql.exec("CREATE INDEX revisions_slug ON revisions (slug, id)");
  },
];

/** A post in the trash, as the dashboard lists it. */
export interface TrashedPost {
  slug: string;
  title: string;
  deletedAt: string;
}

/** An earlier version of a post. */
export interface Revision {
  id: number;
  savedAt: string;
  source: SourceRecord;
}

type LinkRow = { slug: string; title: string; date: string };

type PostRow = {
  slug: string;
  date: string;
  updated: string | null;
  title: string;
  draft: number;
  source: string;
  summary: string;
  chunk: number;
  doc_id: number | null;
};

export interface StoredPost {
  source: SourceRecord;
  summary: PostSummaryRecord;
  docId: number | null;
}

/** Typed queries over the editor's tables. */
export class EditorStore {
  constructor(private readonly sql: SqlStorage) {}

  clear(): void {
    for (const table of [
      "posts",
      "post_tags",
      "listings",
      "edited",
      "touched",
      "delta_docs",
      "delta_dead",
      "stale",
      "merge_buckets",
      "merge_docs",
    ]) {
      this.sql.exec(`DELETE FROM ${table}`);
    }
  }

  post(slug: string): StoredPost | null {
    const row = this.sql.exec<PostRow>("SELECT * FROM posts WHERE slug = ?", slug).toArray()[0];
    return row ? { source: JSON.parse(row.source), summary: JSON.parse(row.summary), docId: row.doc_id } : null;
  }

  put(source: SourceRecord, summary: PostSummaryRecord, docId: number | null, tags: [slug: string, name: string][]): void {
    this.sql.exec(
      `INSERT INTO posts (slug, date, updated, title, draft, source, summary, chunk, doc_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(slug) DO UPDATE SET date = excluded.date, updated = excluded.updated, title = excluded.title,
         draft = excluded.draft, source = excluded.source, summary = excluded.summary, doc_id = excluded.doc_id`,
      source.slug,
      source.date,
      source.updated,
      source.title,
      // The column says "not listed": a draft, or a page (which is public but in no listing).
      isListed(source) ? 0 : 1,
      JSON.stringify(source),
      JSON.stringify(summary),
      sourceChunk(source.slug),
      docId,
    );
    this.sql.exec("DELETE FROM post_tags WHERE slug = ?", source.slug);
    for (const [tag, name] of tags) {
      this.sql.exec("INSERT OR IGNORE INTO post_tags (tag, slug, name, date) VALUES (?, ?, ?, ?)", tag, source.slug, name, source.date);
    }
  }

  remove(slug: string): void {
    this.sql.exec("DELETE FROM posts WHERE slug = ?", slug);
    this.sql.exec("DELETE FROM post_tags WHERE slug = ?", slug);
  }

  setDocId(slug: string, docId: number): void {
    this.sql.exec("UPDATE posts SET doc_id = ? WHERE slug = ?", docId, slug);
  }

  nextDocId(): number {
    return (this.sql.exec<{ n: number | null }>("SELECT MAX(doc_id) AS n FROM posts").one().n ?? -1) + 1;
  }

  indexedCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM posts WHERE draft = 0").one().n;
  }

  /**
   * The FROM/WHERE of a listing's posts (the home page, or one tag's), and the columns holding
   * their date and slug: a tag's own copy of them, so its index orders the listing.
   */
  private scope(listing: ListingRef): { from: string; args: string[]; date: string; slug: string } {
    return listing.kind === "home"
      ? { from: "posts p WHERE p.draft = 0", args: [], date: "p.date", slug: "p.slug" }
      : {
          from: "post_tags t JOIN posts p ON p.slug = t.slug WHERE t.tag = ? AND p.draft = 0",
          args: [listing.slug],
          date: "t.date",
          slug: "t.slug",
        };
  }

  /** Public posts of a listing at `now`. */
  publicCount(listing: ListingRef, now: string): number {
    const { from, args, date } = this.scope(listing);
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} AND ${date} <= ?`, ...args, now).one().n;
  }

  /** A public post's position in a listing, counted from the oldest; null when it is not listed there now. */
  position(listing: ListingRef, slug: string, now: string): number | null {
    const { from, args, date, slug: slugColumn } = this.scope(listing);
    const me = this.sql
      .exec<{ date: string }>(`SELECT p.date AS date FROM ${from} AND p.slug = ? AND p.date <= ?`, ...args, slug, now)
      .toArray()[0];
    if (!me) return null;
    return this.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${from} AND ${date} <= ? AND (${date} < ? OR ${slugColumn} > ?)`,
        ...args,
        me.date,
        me.date,
        slug,
      )
      .one().n;
  }

  /** Public posts at positions [from, from + count), oldest first. */
  window(listing: ListingRef, from: number, count: number, now: string): PostSummaryRecord[] {
    const { from: scope, args, date, slug } = this.scope(listing);
    return this.sql
      .exec<{ summary: string }>(
        `SELECT p.summary AS summary FROM ${scope} AND ${date} <= ? ORDER BY ${date} ASC, ${slug} DESC LIMIT ? OFFSET ?`,
        ...args,
        now,
        count,
        from,
      )
      .toArray()
      .map((r) => JSON.parse(r.summary) as PostSummaryRecord);
  }

  /** Future posts of a listing, newest first. */
  scheduled(listing: ListingRef, now: string): PostSummaryRecord[] {
    const { from, args, date, slug } = this.scope(listing);
    return this.sql
      .exec<{ summary: string }>(
        `SELECT p.summary AS summary FROM ${from} AND ${date} > ? ORDER BY ${date} DESC, ${slug} ASC`,
        ...args,
        now,
      )
      .toArray()
      .map((r) => JSON.parse(r.summary) as PostSummaryRecord);
  }

  /** The name a tag listing shows: its spelling on the newest post carrying it. */
  tagName(tag: string): string {
    return (
      this.sql
        .exec<{ name: string }>(
          "SELECT t.name AS name FROM post_tags t JOIN posts p ON p.slug = t.slug WHERE t.tag = ? AND p.draft = 0 ORDER BY t.date DESC, t.slug ASC LIMIT 1",
          tag,
        )
        .toArray()[0]?.name ?? tag
    );
  }

  tagsOf(slug: string): string[] {
    return this.sql
      .exec<{ tag: string }>("SELECT tag FROM post_tags WHERE slug = ?", slug)
      .toArray()
      .map((r) => r.tag);
  }

  /** The next older listed post (drafts aside), whatever its date. */
  older(slug: string, date: string): PostLink | null {
    return (
      this.sql
        .exec<LinkRow>(
          "SELECT slug, title, date FROM posts WHERE draft = 0 AND date <= ? AND (date < ? OR slug > ?) ORDER BY date DESC, slug ASC LIMIT 1",
          date,
          date,
          slug,
        )
        .toArray()[0] ?? null
    );
  }

  /** Newer listed posts, oldest first, up to and including the first one public at `now` (as the publish script links them). */
  newer(slug: string, date: string, now: string): PostLink[] {
    const out: PostLink[] = [];
    const rows = this.sql.exec<LinkRow>(
      "SELECT slug, title, date FROM posts WHERE draft = 0 AND date >= ? AND (date > ? OR slug < ?) ORDER BY date ASC, slug DESC LIMIT 1000",
      date,
      date,
      slug,
    );
    for (const row of rows) {
      out.push({ slug: row.slug, title: row.title, date: row.date });
      if (row.date <= now) break;
    }
    return out;
  }

  /** Posts whose older/newer links may mention `slug` (at `date`): its neighbours, and older scheduled ones chaining to it. */
  linkedTo(slug: string, date: string, now: string): string[] {
    const out: string[] = [];
    const newer = this.newer(slug, date, now)[0];
    if (newer) out.push(newer.slug);
    let at: PostLink | null = { slug, title: "", date };
    for (let i = 0; i < 1000; i++) {
      at = this.older(at.slug, at.date);
      if (!at) break;
      out.push(at.slug);
      if (at.date <= now) break;
    }
    return out;
  }

  /** The sources of one `sources:<n>` key. */
  sourcesIn(chunk: number): SourceRecord[] {
    return this.sql
      .exec<{ source: string }>("SELECT source FROM posts WHERE chunk = ? ORDER BY slug", chunk)
      .toArray()
      .map((r) => JSON.parse(r.source) as SourceRecord);
  }

  /** Slugs of document ids [from, from + count), null where no post has the id. */
  docSlugs(from: number, count: number): (string | null)[] {
    const out: (string | null)[] = [];
    for (const { doc_id, slug } of this.sql.exec<{ doc_id: number; slug: string }>(
      "SELECT doc_id, slug FROM posts WHERE doc_id >= ? AND doc_id < ?",
      from,
      from + count,
    )) {
      out[doc_id - from] = slug;
    }
    const last = out.length;
    return Array.from({ length: last }, (_, i) => out[i] ?? null);
  }

  /** The `tags` key: each tag's public count, last change and scheduled dates at `now` (one grouped query). */
  tagRecords(now: string): TagRecord[] {
    return this.sql
      .exec<{ tag: string; published: number; lastmod: string | null; scheduled: string | null }>(
        `SELECT t.tag AS tag, SUM(p.date <= ?) AS published,
           MAX(CASE WHEN p.date <= ? THEN COALESCE(p.updated, p.date) END) AS lastmod,
           GROUP_CONCAT(CASE WHEN p.date > ? THEN p.date END) AS scheduled
         FROM post_tags t JOIN posts p ON p.slug = t.slug WHERE p.draft = 0 GROUP BY t.tag ORDER BY t.tag`,
        now,
        now,
        now,
      )
      .toArray()
      .map((r) => ({
        slug: r.tag,
        name: this.tagName(r.tag),
        published: r.published,
        lastmod: r.lastmod,
        scheduled: (r.scheduled?.split(",") ?? []).sort().reverse(),
      }));
  }

  /** Every post for the dashboard, newest first. */
  /** The posts no listing shows (drafts and pages), as their sources say. */
  unlisted(): SourceRecord[] {
    return this.sql
      .exec<{ source: string }>("SELECT source FROM posts WHERE draft = 1")
      .toArray()
      .map((r) => JSON.parse(r.source) as SourceRecord);
  }

  all(): { slug: string; title: string; date: string; draft: boolean; origin: string; editedAt: string | null }[] {
    return this.sql
      .exec<{ source: string }>("SELECT source FROM posts ORDER BY date DESC, slug ASC")
      .toArray()
      .map((r) => {
        const { slug, title, date, draft, origin, editedAt } = JSON.parse(r.source) as SourceRecord;
        return { slug, title, date, draft, origin, editedAt };
      });
  }

  /** Sources that mention an uploaded image (a cheap text filter first; the caller reads the names). */
  sourcesUsingMedia(): SourceRecord[] {
    return this.sql
      .exec<{ source: string }>("SELECT source FROM posts WHERE instr(source, '/media/') > 0 ORDER BY date DESC")
      .toArray()
      .map((r) => JSON.parse(r.source) as SourceRecord);
  }

  lastStart(listing: string): number | null {
    return this.sql.exec<{ start: number }>("SELECT start FROM listings WHERE name = ?", listing).toArray()[0]?.start ?? null;
  }

  setStart(listing: string, start: number): void {
    this.sql.exec(
      "INSERT INTO listings (name, start) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET start = excluded.start",
      listing,
      start,
    );
  }

  markEdited(slug: string, at: string, deleted: boolean): void {
    this.sql.exec(
      "INSERT INTO edited (slug, at, deleted) VALUES (?, ?, ?) ON CONFLICT(slug) DO UPDATE SET at = excluded.at, deleted = excluded.deleted",
      slug,
      at,
      deleted ? 1 : 0,
    );
  }

  editLog(): Record<string, { at: string; deleted: boolean }> {
    const out: Record<string, { at: string; deleted: boolean }> = {};
    for (const r of this.sql.exec<{ slug: string; at: string; deleted: number }>("SELECT slug, at, deleted FROM edited ORDER BY slug")) {
      out[r.slug] = { at: r.at, deleted: r.deleted === 1 };
    }
    return out;
  }

  touch(keys: string[]): string[] {
    for (const key of keys) this.sql.exec("INSERT OR IGNORE INTO touched (key) VALUES (?)", key);
    return this.sql
      .exec<{ key: string }>("SELECT key FROM touched ORDER BY key")
      .toArray()
      .map((r) => r.key);
  }
}

/** The trash and the revisions. */
export class EditorHistory {
  constructor(private readonly sql: SqlStorage) {}

  trash(source: SourceRecord, at: string): void {
    this.sql.exec(
      "INSERT INTO trash (slug, deleted_at, source) VALUES (?, ?, ?) ON CONFLICT(slug) DO UPDATE SET deleted_at = excluded.deleted_at, source = excluded.source",
      source.slug,
      at,
      JSON.stringify(source),
    );
  }

  /** Forgets what was deleted before `before`. */
  emptyBefore(before: string): void {
    for (const { slug } of this.sql.exec<{ slug: string }>("SELECT slug FROM trash WHERE deleted_at < ?", before).toArray()) {
      this.sql.exec("DELETE FROM trash WHERE slug = ?", slug);
      this.sql.exec("DELETE FROM revisions WHERE slug = ?", slug);
    }
  }

  trashed(): TrashedPost[] {
    return this.sql
      .exec<{ slug: string; deleted_at: string; source: string }>("SELECT * FROM trash ORDER BY deleted_at DESC, slug")
      .toArray()
      .map((r) => ({ slug: r.slug, deletedAt: r.deleted_at, title: (JSON.parse(r.source) as SourceRecord).title }));
  }

  /** Takes a post out of the trash: its last source, or null. */
  untrash(slug: string): SourceRecord | null {
    const row = this.sql.exec<{ source: string }>("SELECT source FROM trash WHERE slug = ?", slug).toArray()[0];
    if (!row) return null;
    this.sql.exec("DELETE FROM trash WHERE slug = ?", slug);
    return JSON.parse(row.source) as SourceRecord;
  }

  /** Keeps `source` as the latest earlier version of its post, and only the last `keep`. */
  keep(source: SourceRecord, at: string, keep: number): void {
    this.sql.exec("INSERT INTO revisions (slug, saved_at, source) VALUES (?, ?, ?)", source.slug, at, JSON.stringify(source));
    this.sql.exec(
      "DELETE FROM revisions WHERE slug = ? AND id NOT IN (SELECT id FROM revisions WHERE slug = ? ORDER BY id DESC LIMIT ?)",
      source.slug,
      source.slug,
      keep,
    );
  }

  /** A post's earlier versions, newest first. */
  revisions(slug: string): Revision[] {
    return this.sql
      .exec<{ id: number; saved_at: string; source: string }>(
        "SELECT id, saved_at, source FROM revisions WHERE slug = ? ORDER BY id DESC",
        slug,
      )
      .toArray()
      .map((r) => ({ id: r.id, savedAt: r.saved_at, source: JSON.parse(r.source) as SourceRecord }));
  }

  /** Moves a renamed draft's versions to its new slug. */
  rename(from: string, to: string): void {
    for (const r of this.revisions(from)) {
      this.sql.exec("UPDATE revisions SET slug = ?, source = ? WHERE id = ?", to, JSON.stringify({ ...r.source, slug: to }), r.id);
    }
  }

  dropRevisions(slug: string): void {
    this.sql.exec("DELETE FROM revisions WHERE slug = ?", slug);
  }
}
