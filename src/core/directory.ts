/**
 * The operator's directory of blogs in D1 (binding PLATFORM): one row per blog, written by the
 * blog's own Blog object after each change and read only by the operator's pages and API, never
 * by a reader's or an author's request. Nothing is served from it: a blog is found by its KV record.
 */

import { type BlogRecord, FOLLOW_VARS } from "./blogs";
import { d1Schema } from "./d1-schema";

/** One blog as the directory lists it. */
export interface DirectoryRow {
  name: string;
  /** Null: the deployment's var (the main blog before its settings are saved). */
  title: string | null;
  description: string | null;
  state: BlogRecord["state"];
  created_at: string;
  /** JSON array of its custom domains. */
  domains: string;
  owner_email: string | null;
  updated_at: string;
}

/** A directory row as the record it lists (what the operator's list shows needs no KV read). */
export function listedRecord(row: DirectoryRow): BlogRecord {
  return {
    ...FOLLOW_VARS,
    title: row.title,
    description: row.description,
    name: row.name,
    domains: JSON.parse(row.domains) as string[],
    createdAt: row.created_at,
    state: row.state,
  };
}

/** The directory's schema (core/d1-schema.ts). */
const STEPS: string[][] = [
  [
    `CREATE TABLE IF NOT EXISTS blogs (
      name TEXT PRIMARY KEY,
      title TEXT,
      description TEXT,
      state TEXT NOT NULL,
      created_at TEXT NOT NULL,
      domains TEXT NOT NULL DEFAULT '[]',
      owner_email TEXT,
      updated_at TEXT NOT NULL,
      rank INTEGER NOT NULL DEFAULT 1
    )`,
    // The list's order: the main blog first (rank 0), then by creation.
    "CREATE INDEX IF NOT EXISTS blogs_by_creation ON blogs (rank, created_at, name)",
    // Sign-ups per day.
    "CREATE INDEX IF NOT EXISTS blogs_created ON blogs (created_at)",
  ],
];

const schema = d1Schema("directory_schema", STEPS);

/** Brings the directory's schema up to date once per database handle an isolate holds. */
export const ensureDirectory = schema.ensure;

/** A query on the directory; when its storage was replaced under this isolate (a test's reset), the schema is made again once. */
export const onDirectory = schema.on;
