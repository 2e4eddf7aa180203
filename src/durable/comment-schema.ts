import type { CommentStatus } from "../core/comments";

/** A comment thread's tables, and the row the thread reads them into. */

export type Row = {
  id: number;
  /** Selected only where a check needs it. */
  commenter?: string;
  parent_id: number | null;
  author: string;
  doc: string;
  status: CommentStatus;
  created_at: string;
  edited_at: string | null;
  author_url: string | null;
};

export const COLUMNS = "id, parent_id, author, author_url, doc, status, created_at, edited_at";

/** Versioned: the thread's storage is migrated step by step (durable/sqlite.ts). */
export const MIGRATIONS = [
  (sql: SqlStorage) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS comments (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      parent_id INTEGER REFERENCES comments(id),
      author TEXT NOT NULL,
      email TEXT,
      ip TEXT,
      commenter TEXT NOT NULL,
      body TEXT NOT NULL,
      doc TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      edited_at TEXT
    )`);
    sql.exec("CREATE INDEX IF NOT EXISTS comments_status ON comments (status, id)");
    sql.exec("CREATE INDEX IF NOT EXISTS comments_commenter ON comments (commenter, status)");
    sql.exec("CREATE TABLE IF NOT EXISTS hits (ip TEXT NOT NULL, at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX IF NOT EXISTS hits_ip ON hits (ip, at)");
  },
  // Imported comments (npm run import): their id in the export, and the author's web site.
  (sql: SqlStorage) => {
    sql.exec("ALTER TABLE comments ADD COLUMN import_id TEXT");
    sql.exec("ALTER TABLE comments ADD COLUMN author_url TEXT");
    sql.exec("CREATE UNIQUE INDEX IF NOT EXISTS comments_import ON comments (import_id) WHERE import_id IS NOT NULL");
    // The page shows comments by date: imported ones may be older than comments made here.
    sql.exec("CREATE INDEX IF NOT EXISTS comments_shown ON comments (status, created_at, id)");
  },
  // Replies from the fediverse: the Note's id and its author's actor; likes and boosts of the post.
  (sql: SqlStorage) => {
    sql.exec("ALTER TABLE comments ADD COLUMN remote_id TEXT");
    sql.exec("ALTER TABLE comments ADD COLUMN remote_actor TEXT");
    sql.exec("CREATE UNIQUE INDEX IF NOT EXISTS comments_remote ON comments (remote_id) WHERE remote_id IS NOT NULL");
    sql.exec("CREATE TABLE IF NOT EXISTS reactions (kind TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (kind, actor))");
  },
  // v5: the commenter asked to be mailed when someone replies (their address is confirmed per blog, in Subscribers).
  (sql: SqlStorage) => {
    sql.exec("ALTER TABLE comments ADD COLUMN notify INTEGER NOT NULL DEFAULT 0");
  },
];
