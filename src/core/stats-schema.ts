/**
 * The statistics database's schema (D1, binding STATS_DB; made on first use, core/d1-schema.ts),
 * and what deleting a blog removes from it. Reads and writes are data/stats.ts's.
 */
import { d1Schema } from "./d1-schema";

export const statsSchema = d1Schema("stats_schema", [
  [
    `CREATE TABLE IF NOT EXISTS stats_days (
      blog TEXT NOT NULL, born TEXT NOT NULL, day TEXT NOT NULL,
      views INTEGER NOT NULL DEFAULT 0, feeds INTEGER NOT NULL DEFAULT 0, sketch BLOB,
      PRIMARY KEY (blog, born, day)
    ) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS stats_counts (
      blog TEXT NOT NULL, born TEXT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (blog, born, kind, day, key)
    ) WITHOUT ROWID`,
    // Batches counted (a batch the queue delivers again is not counted twice), kept a week.
    "CREATE TABLE IF NOT EXISTS stats_batches (id TEXT PRIMARY KEY, at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS stats_days_by_day ON stats_days (day)",
    "CREATE INDEX IF NOT EXISTS stats_counts_by_day ON stats_counts (day)",
  ],
]);

/** Rows removed per statement while a blog's statistics are purged or old days pruned. */
const DELETE_BATCH = 1000;

/**
 * Deletes up to DELETE_BATCH rows of each rollup matching `where` (on `blog` or `day`), with any
 * further statements in the same batch; true once none were left to delete.
 */
export async function deleteSome(db: D1Database, where: string, value: string, more: D1PreparedStatement[] = []): Promise<boolean> {
  return statsSchema.on(db, async () => {
    const [counts, days] = await db.batch([
      db
        .prepare(
          `DELETE FROM stats_counts WHERE (blog, born, kind, day, key) IN (SELECT blog, born, kind, day, key FROM stats_counts WHERE ${where} LIMIT ?)`,
        )
        .bind(value, DELETE_BATCH),
      db
        .prepare(`DELETE FROM stats_days WHERE (blog, born, day) IN (SELECT blog, born, day FROM stats_days WHERE ${where} LIMIT ?)`)
        .bind(value, DELETE_BATCH),
      ...more,
    ]);
    return (counts!.meta.changes ?? 0) < DELETE_BATCH && (days!.meta.changes ?? 0) < DELETE_BATCH;
  });
}

/** Deletes one batch of a deleted blog's statistics (every incarnation of its name); true once none are left. */
export const purgeStats = (db: D1Database, blog: string) => deleteSome(db, "blog = ?", blog);
