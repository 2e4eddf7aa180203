import { fromBase64url, toBase64url } from "../core/base64url";
import { type DirectoryRow, onDirectory } from "../core/directory";

/** Blogs per page of the operator's list, and the most one page may ask for. */
export const DIRECTORY_PAGE = 100;
export const DIRECTORY_MAX = 500;

export interface DirectoryPage {
  blogs: DirectoryRow[];
  /** Give it back as `cursor` for the next page; null on the last one. */
  next: string | null;
}

type Cursor = [rank: number, createdAt: string, name: string];

const encode = (c: Cursor) => toBase64url(new TextEncoder().encode(JSON.stringify(c)));

function decode(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  const bytes = fromBase64url(cursor);
  if (!bytes) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === "number" &&
      typeof value[1] === "string" &&
      typeof value[2] === "string"
    ) {
      return value as Cursor;
    }
  } catch {
    /* an unreadable cursor starts from the top */
  }
  return null;
}

/**
 * One page of the operator's list of active blogs from the directory (D1): the main blog first,
 * then by creation; `query` keeps the names that contain it. One indexed query per page,
 * whatever the number of blogs.
 */
export async function directoryPage(db: D1Database, opts: { cursor?: string; limit?: number; query?: string }): Promise<DirectoryPage> {
  const limit = Math.min(Math.max(1, opts.limit ?? DIRECTORY_PAGE), DIRECTORY_MAX);
  const after = decode(opts.cursor);
  const where = ["state = 'active'"];
  const binds: unknown[] = [];
  if (after) {
    where.push("(rank, created_at, name) > (?, ?, ?)");
    binds.push(...after);
  }
  if (opts.query) {
    where.push("instr(name, ?) > 0");
    binds.push(opts.query);
  }
  const sql = `SELECT name, title, description, state, created_at, domains, owner_email, updated_at, rank FROM blogs WHERE ${where.join(" AND ")}
    ORDER BY rank, created_at, name LIMIT ?`;
  const rows = await onDirectory(
    db,
    async () =>
      (
        await db
          .prepare(sql)
          .bind(...binds, limit + 1)
          .all<DirectoryRow & { rank: number }>()
      ).results,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    blogs: page.map(({ rank: _rank, ...row }) => row),
    next: rows.length > limit && last ? encode([last.rank, last.created_at, last.name]) : null,
  };
}

/** One row of the directory, active or being deleted (null: no such blog). */
export async function directoryRow(db: D1Database, name: string): Promise<DirectoryRow | null> {
  return onDirectory(db, () =>
    db
      .prepare("SELECT name, title, description, state, created_at, domains, owner_email, updated_at FROM blogs WHERE name = ?")
      .bind(name)
      .first<DirectoryRow>(),
  );
}

export interface DirectoryStats {
  blogs: number;
  deleting: number;
  /** Blogs created on each of the last `days` days (UTC) that had any, oldest first. */
  signupsPerDay: { day: string; blogs: number }[];
}

/** The platform's figures for the operator: counts and sign-ups per day. */
export async function directoryStats(db: D1Database, now: Date, days = 30): Promise<DirectoryStats> {
  const since = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const [counts, perDay] = await onDirectory(db, () =>
    db.batch<{ state: string; n: number } | { day: string; n: number }>([
      db.prepare("SELECT state, COUNT(*) AS n FROM blogs GROUP BY state"),
      db
        .prepare("SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM blogs WHERE created_at >= ? GROUP BY day ORDER BY day")
        .bind(since),
    ]),
  );
  const byState = new Map((counts!.results as { state: string; n: number }[]).map((r) => [r.state, r.n]));
  return {
    blogs: byState.get("active") ?? 0,
    deleting: byState.get("deleting") ?? 0,
    signupsPerDay: (perDay!.results as { day: string; n: number }[]).map((r) => ({ day: r.day, blogs: r.n })),
  };
}
