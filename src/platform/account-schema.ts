import type { Migration } from "../durable/sqlite";

/** The Accounts object's tables, migrated step by step (durable/sqlite.ts). */
export const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec("CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)");
    sql.exec(`CREATE TABLE members (
      blog TEXT NOT NULL,
      person_id INTEGER NOT NULL REFERENCES people(id),
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (blog, person_id)
    )`);
    sql.exec("CREATE INDEX members_person ON members (person_id)");
    // One-time links: only a hash of each token is kept.
    sql.exec(`CREATE TABLE links (
      hash TEXT PRIMARY KEY,
      purpose TEXT NOT NULL,
      blog TEXT NOT NULL,
      email TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    )`);
    sql.exec("CREATE INDEX links_expiry ON links (expires_at)");
  },
  // "+ Create my blog": what a creation link creates, and the requests counted for the abuse limits.
  (sql) => {
    sql.exec("ALTER TABLE links ADD COLUMN data TEXT");
    sql.exec("CREATE TABLE attempts (kind TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX attempts_key ON attempts (kind, key, at)");
  },
  // Personal API tokens: only a hash is kept; each acts as its person on one blog, with at most their role.
  (sql) => {
    sql.exec(`CREATE TABLE tokens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      hash TEXT NOT NULL UNIQUE,
      person_id INTEGER NOT NULL REFERENCES people(id),
      blog TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_used_at TEXT
    )`);
    sql.exec("CREATE INDEX tokens_owner ON tokens (blog, person_id)");
  },
  // Who changed what, per blog.
  (sql) => {
    sql.exec(`CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      blog TEXT NOT NULL,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL
    )`);
    sql.exec("CREATE INDEX audit_blog ON audit (blog, id)");
  },
  // Per blog from here on (one object per blog): whether its part of the single object of earlier versions has been taken.
  (sql) => {
    sql.exec("CREATE INDEX IF NOT EXISTS tokens_person ON tokens (person_id)");
  },
  // What each member is mailed of comments waiting for moderation (held-mail.ts), and the digest's waiting list.
  (sql) => {
    sql.exec("ALTER TABLE members ADD COLUMN held_mail TEXT");
    sql.exec(
      "CREATE TABLE held_digest (slug TEXT NOT NULL, comment_id INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (slug, comment_id))",
    );
  },
];
