/**
 * Statistics rollups in D1 (binding STATS_DB): per blog and day, its views, feed fetches and
 * visitor sketch (stats_days), and its counts by page, referrer, country and device
 * (stats_counts). Written only by the STATS queue's consumer, one queue batch at a time; read by
 * owners' and editors' pages and the API, never by a reader's request.
 */
import { deleteSome, statsSchema as schema } from "../core/stats-schema";
import type { BlogStore } from "../core/keys";
import { readCached } from "./kv-cache";
import { getPublicPost } from "./posts";
import {
  COUNT_KINDS,
  type CountKind,
  type DayTally,
  daysEnding,
  estimate,
  MOST_READ_DAYS,
  MOST_READ_SIZE,
  type MostRead,
  SKETCH_SIZE,
  type StatsBatch,
  STATS_KEPT_DAYS,
} from "../core/stats";

/** A blog as its statistics are kept: its name and creation time. */
export interface StatsOwner {
  blog: string;
  born: string;
}

const tallyKey = (t: Pick<DayTally, "blog" | "born" | "day">) => `${t.blog}\n${t.born}\n${t.day}`;

/** Several batches' tallies as one per blog and day (what the consumer writes). */
export function mergeTallies(batches: StatsBatch[]): DayTally[] {
  const merged = new Map<string, DayTally>();
  for (const batch of batches) {
    for (const t of batch.tallies) {
      const key = tallyKey(t);
      const into = merged.get(key);
      if (!into) {
        merged.set(key, { ...t, counts: { ...t.counts }, sketch: { ...t.sketch } });
        continue;
      }
      into.views += t.views;
      into.feeds += t.feeds;
      for (const [k, n] of Object.entries(t.counts)) into.counts[k] = (into.counts[k] ?? 0) + n;
      for (const [r, rank] of Object.entries(t.sketch)) if ((into.sketch[Number(r)] ?? 0) < rank) into.sketch[Number(r)] = rank;
    }
  }
  return [...merged.values()];
}

function sketchBytes(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  if (value instanceof Uint8Array) return value;
  return new Uint8Array(SKETCH_SIZE);
}

/**
 * Adds batches into the rollups in one transaction with their ids: all of them or none. The ids
 * make a batch the queue delivers again fail the transaction (UNIQUE), and the caller then counts
 * each batch alone, skipping the ones already in. The stored sketches are read first and merged
 * here, so the queue must give this consumer one batch at a time (max_concurrency = 1).
 * Returns the rows D1 wrote (for the log and the bench).
 */
export async function addBatches(db: D1Database, batches: StatsBatch[], now: number): Promise<number> {
  return schema.on(db, async () => {
    const tallies = mergeTallies(batches);
    const stored = new Map<string, Uint8Array>();
    // The sketches of these blog-days, in one round trip.
    if (tallies.length) {
      const reads = await db.batch(
        tallies.map((t) => db.prepare("SELECT sketch FROM stats_days WHERE blog = ? AND born = ? AND day = ?").bind(t.blog, t.born, t.day)),
      );
      tallies.forEach((t, i) => {
        const row = reads[i]?.results[0] as { sketch: unknown } | undefined;
        if (row) stored.set(tallyKey(t), sketchBytes(row.sketch));
      });
    }
    const writes: D1PreparedStatement[] = batches.map((b) =>
      db.prepare("INSERT INTO stats_batches (id, at) VALUES (?, ?)").bind(b.id, now),
    );
    for (const t of tallies) {
      const sketch = stored.get(tallyKey(t)) ?? new Uint8Array(SKETCH_SIZE);
      for (const [r, rank] of Object.entries(t.sketch)) if (sketch[Number(r)]! < rank) sketch[Number(r)] = rank;
      writes.push(
        db
          .prepare(
            `INSERT INTO stats_days (blog, born, day, views, feeds, sketch) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (blog, born, day) DO UPDATE SET views = views + excluded.views, feeds = feeds + excluded.feeds, sketch = excluded.sketch`,
          )
          .bind(t.blog, t.born, t.day, t.views, t.feeds, sketch),
      );
      for (const [k, n] of Object.entries(t.counts)) {
        const kind = COUNT_KINDS[k[0] as CountKind];
        if (!kind) continue;
        writes.push(
          db
            .prepare(
              `INSERT INTO stats_counts (blog, born, day, kind, key, n) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (blog, born, kind, day, key) DO UPDATE SET n = n + excluded.n`,
            )
            .bind(t.blog, t.born, t.day, kind, k.slice(1).slice(0, 200), n),
        );
      }
    }
    const results = await db.batch(writes);
    // D1's own measure of the work (what it bills): rows written, indexes included.
    return results.reduce((n, r) => n + (r.meta.rows_written ?? 0), 0);
  });
}

/** Adds batches, all at once or, when one of them was counted before, one by one (skipping it). */
export async function countBatches(db: D1Database, batches: StatsBatch[], now: number): Promise<number> {
  try {
    return await addBatches(db, batches, now);
  } catch (error) {
    if (!/UNIQUE|constraint/i.test(String(error))) throw error;
  }
  let written = 0;
  for (const batch of batches) {
    try {
      written += await addBatches(db, [batch], now);
    } catch (error) {
      if (!/UNIQUE|constraint/i.test(String(error))) throw error;
    }
  }
  return written;
}

export interface Ranked {
  key: string;
  views: number;
}

export interface BlogStats {
  from: string;
  to: string;
  days: { date: string; views: number; visitors: number }[];
  totals: { views: number; visitors: number; feedFetches: number };
  pages: Ranked[];
  referrers: Ranked[];
  countries: Ranked[];
  devices: Ranked[];
}

const TOP = 10;

/** A blog's numbers for the `days` days ending `today` (its time zone's), one round trip. */
export async function readStats(db: D1Database, owner: StatsOwner, days: number, today: string): Promise<BlogStats> {
  const dates = daysEnding(today, days);
  const from = dates[0]!;
  return schema.on(db, async () => {
    const top = (kind: string, limit = TOP) =>
      db
        .prepare(
          `SELECT key, SUM(n) AS views FROM stats_counts WHERE blog = ? AND born = ? AND kind = ? AND day >= ? AND day <= ?
           GROUP BY key ORDER BY views DESC, key LIMIT ?`,
        )
        .bind(owner.blog, owner.born, kind, from, today, limit);
    const [daily, pages, referrers, countries, devices] = await db.batch([
      db
        .prepare("SELECT day, views, feeds, sketch FROM stats_days WHERE blog = ? AND born = ? AND day >= ? AND day <= ?")
        .bind(owner.blog, owner.born, from, today),
      top("page"),
      top("referrer"),
      top("country"),
      top("device"),
    ]);
    const byDay = new Map((daily!.results as { day: string; views: number; feeds: number; sketch: unknown }[]).map((r) => [r.day, r]));
    const series = dates.map((date) => {
      const row = byDay.get(date);
      return { date, views: row?.views ?? 0, visitors: row ? Math.min(row.views, estimate(sketchBytes(row.sketch))) : 0 };
    });
    const ranked = (r: D1Result) => (r.results as { key: string; views: number }[]).map(({ key, views }) => ({ key, views }));
    return {
      from,
      to: today,
      days: series,
      totals: {
        views: series.reduce((n, d) => n + d.views, 0),
        visitors: series.reduce((n, d) => n + d.visitors, 0),
        feedFetches: [...byDay.values()].reduce((n, r) => n + r.feeds, 0),
      },
      pages: ranked(pages!),
      referrers: ranked(referrers!),
      countries: ranked(countries!),
      devices: ranked(devices!),
    };
  });
}

/** One page's views per day over the `days` days ending `today` (the editor's numbers). */
export async function pageViews(db: D1Database, owner: StatsOwner, path: string, days: number, today: string): Promise<number> {
  const from = daysEnding(today, days)[0]!;
  return schema.on(db, async () => {
    const row = await db
      .prepare(
        "SELECT SUM(n) AS views FROM stats_counts WHERE blog = ? AND born = ? AND kind = 'page' AND key = ? AND day >= ? AND day <= ?",
      )
      .bind(owner.blog, owner.born, path, from, today)
      .first<{ views: number | null }>();
    return row?.views ?? 0;
  });
}

/** The most viewed posts of the last `days` days (for "Most read"): paths, most viewed first. */
export async function mostViewedPosts(db: D1Database, owner: StatsOwner, days: number, today: string, limit: number): Promise<string[]> {
  const from = daysEnding(today, days)[0]!;
  return schema.on(db, async () => {
    const rows = await db
      .prepare(
        `SELECT key, SUM(n) AS views FROM stats_counts WHERE blog = ? AND born = ? AND kind = 'page' AND key LIKE '/posts/%' AND day >= ?
         GROUP BY key ORDER BY views DESC, key LIMIT ?`,
      )
      .bind(owner.blog, owner.born, from, limit)
      .all<{ key: string }>();
    return rows.results.map((r) => r.key);
  });
}

/** Deletes one batch of the days older than STATS_KEPT_DAYS and of the batch ids older than a week (the cron); true once none are left. */
export async function pruneStats(db: D1Database, now: number): Promise<boolean> {
  const before = new Date(now - STATS_KEPT_DAYS * 86_400_000).toISOString().slice(0, 10);
  return deleteSome(db, "day < ?", before, [db.prepare("DELETE FROM stats_batches WHERE at < ?").bind(now - 7 * 86_400_000)]);
}

/** The blog's "Most read" list as the cron last wrote it (held by the isolate as pages are). */
export async function readMostRead(store: BlogStore): Promise<MostRead | null> {
  const text = await readCached(store.kv, store.keys.mostRead, store.holdMs);
  if (!text) return null;
  try {
    const value = JSON.parse(text) as MostRead;
    return Array.isArray(value.posts) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Writes the blog's "Most read" list from its statistics (the cron, for blogs that show one): its
 * most viewed public posts of the last MOST_READ_DAYS days; KV is written only when the list changed.
 */
export async function refreshMostRead(db: D1Database, store: BlogStore, owner: StatsOwner, today: string, now: Date): Promise<MostRead> {
  const paths = await mostViewedPosts(db, owner, MOST_READ_DAYS, today, MOST_READ_SIZE * 2);
  const posts: MostRead["posts"] = [];
  for (const path of paths) {
    const slug = path.slice("/posts/".length);
    const post = await getPublicPost(store, slug, now);
    if (post && post.type !== "page") posts.push({ slug, title: post.title });
    if (posts.length === MOST_READ_SIZE) break;
  }
  const list: MostRead = { posts };
  const text = JSON.stringify(list);
  if ((await store.kv.get(store.keys.mostRead)) !== text) await store.kv.put(store.keys.mostRead, text);
  return list;
}
