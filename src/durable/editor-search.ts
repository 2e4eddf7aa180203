/**
 * The editor object's share of the full-text index. A save never rewrites the term buckets (a
 * post's few hundred terms would touch as many keys): it records the document in the delta, one
 * KV key that queries read with the buckets. When the delta grows, an alarm merges it into the
 * buckets in slices, in the background.
 */
import type { Keys } from "../core/keys";
import { bucketOf, rankPostings, type SearchBucket, type SearchDelta, type SearchStale } from "../core/search";
import { readMeta, writeMeta } from "./sqlite";

/** The delta is merged once it holds this many changed or removed documents. */
export const MERGE_DOCS = 32;
export const MERGE_DEAD = 256;
/** Buckets rewritten per alarm run while merging. */
export const MERGE_SLICE = 200;

export class EditorSearch {
  constructor(private readonly sql: SqlStorage) {}

  /** The delta as queries read it. */
  delta(n: number): SearchDelta {
    const docs: SearchDelta["docs"] = {};
    for (const r of this.sql.exec<{ doc_id: number; date: number; terms: string }>(
      "SELECT doc_id, date, terms FROM delta_docs ORDER BY doc_id",
    )) {
      docs[String(r.doc_id)] = { date: r.date, terms: JSON.parse(r.terms) };
    }
    const dead = this.sql
      .exec<{ doc_id: number }>("SELECT doc_id FROM delta_dead ORDER BY doc_id")
      .toArray()
      .map((r) => r.doc_id);
    return { v: 1, n, docs, dead };
  }

  /** Takes a delta written by `npm run publish` (empty) or an earlier editor. */
  load(delta: SearchDelta | null): void {
    if (!delta) return;
    for (const [id, doc] of Object.entries(delta.docs)) {
      this.sql.exec(
        "INSERT OR REPLACE INTO delta_docs (doc_id, date, terms, rev) VALUES (?, ?, ?, 1)",
        Number(id),
        doc.date,
        JSON.stringify(doc.terms),
      );
    }
    for (const id of delta.dead) this.sql.exec("INSERT OR IGNORE INTO delta_dead (doc_id) VALUES (?)", id);
  }

  /**
   * Takes the terms whose postings `npm run publish` left in the buckets for the documents it put
   * in the delta: the next merge rewrites those buckets too, so no posting of an old version stays.
   */
  loadStale(stale: SearchStale | null): void {
    for (const [id, terms] of Object.entries(stale?.docs ?? {})) {
      if (!Array.isArray(terms)) continue;
      const asWeights = Object.fromEntries(terms.filter((t) => typeof t === "string").map((t) => [t, 0]));
      this.sql.exec("INSERT INTO stale (doc_id, terms) VALUES (?, ?)", Number(id), JSON.stringify(asWeights));
    }
  }

  inDelta(docId: number): boolean {
    return this.sql.exec("SELECT 1 FROM delta_docs WHERE doc_id = ?", docId).toArray().length > 0;
  }

  /**
   * A document's new terms. `previous`: the terms its postings in the buckets were built from,
   * when it has any there (they are removed at the next merge).
   */
  put(docId: number, date: number, terms: Map<string, number>, previous: Map<string, number> | null): void {
    this.retire(docId, previous);
    this.sql.exec(
      `INSERT INTO delta_docs (doc_id, date, terms, rev) VALUES (?, ?, ?, 1)
       ON CONFLICT(doc_id) DO UPDATE SET date = excluded.date, terms = excluded.terms, rev = delta_docs.rev + 1`,
      docId,
      date,
      JSON.stringify(Object.fromEntries(terms)),
    );
    this.sql.exec("DELETE FROM delta_dead WHERE doc_id = ?", docId);
  }

  /** A document removed from the index (deleted, or now a draft). */
  drop(docId: number, previous: Map<string, number> | null): void {
    this.retire(docId, previous);
    this.sql.exec("DELETE FROM delta_docs WHERE doc_id = ?", docId);
    this.sql.exec("INSERT OR IGNORE INTO delta_dead (doc_id) VALUES (?)", docId);
  }

  /** Remembers which buckets hold a document's old postings: its published terms, or the version a running merge is writing. */
  private retire(docId: number, previous: Map<string, number> | null): void {
    const merging = this.sql
      .exec<{ terms: string | null }>("SELECT terms FROM merge_docs WHERE doc_id = ? AND dead = 0", docId)
      .toArray()[0];
    if (merging?.terms) this.sql.exec("INSERT INTO stale (doc_id, terms) VALUES (?, ?)", docId, merging.terms);
    if (previous) this.sql.exec("INSERT INTO stale (doc_id, terms) VALUES (?, ?)", docId, JSON.stringify(Object.fromEntries(previous)));
  }

  /** Whether the delta is big enough to merge (and no merge runs). */
  wantsMerge(): boolean {
    if (this.merging()) return false;
    const docs = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM delta_docs").one().n;
    const dead = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM delta_dead").one().n;
    return docs >= MERGE_DOCS || dead >= MERGE_DEAD;
  }

  merging(): boolean {
    return this.sql.exec("SELECT 1 FROM merge_docs LIMIT 1").toArray().length > 0;
  }

  /** Snapshots the delta and the buckets it touches. */
  startMerge(): void {
    this.sql.exec("INSERT INTO merge_docs (doc_id, terms, date, rev, dead) SELECT doc_id, terms, date, rev, 0 FROM delta_docs");
    this.sql.exec("INSERT OR IGNORE INTO merge_docs (doc_id, terms, date, rev, dead) SELECT doc_id, NULL, 0, 0, 1 FROM delta_dead");
    writeMeta(this.sql, "merge_stale", String(this.sql.exec<{ n: number | null }>("SELECT MAX(id) AS n FROM stale").one().n ?? 0));
    const buckets = new Set<number>();
    const add = (terms: string | null) => {
      for (const term of Object.keys(JSON.parse(terms ?? "{}") as Record<string, number>)) buckets.add(bucketOf(term));
    };
    for (const r of this.sql.exec<{ terms: string | null }>("SELECT terms FROM merge_docs")) add(r.terms);
    for (const r of this.sql.exec<{ terms: string }>("SELECT terms FROM stale WHERE id <= ?", Number(readMeta(this.sql, "merge_stale"))))
      add(r.terms);
    for (const b of buckets) this.sql.exec("INSERT OR IGNORE INTO merge_buckets (bucket) VALUES (?)", b);
  }

  /** Rewrites up to MERGE_SLICE buckets; answers how many are left (the merge finishes at 0). */
  async mergeStep(kv: KVNamespace, keys: Keys): Promise<{ left: number; written: number }> {
    const slice = this.sql
      .exec<{ bucket: number }>("SELECT bucket FROM merge_buckets ORDER BY bucket LIMIT ?", MERGE_SLICE)
      .toArray()
      .map((r) => r.bucket);
    const docs = this.sql
      .exec<{ doc_id: number; terms: string | null; date: number; dead: number }>("SELECT doc_id, terms, date, dead FROM merge_docs")
      .toArray();
    const merged = new Set(docs.map((d) => d.doc_id));
    const live = docs.filter((d) => !d.dead).map((d) => ({ id: d.doc_id, terms: JSON.parse(d.terms ?? "{}") as Record<string, number> }));
    const dates = new Map(docs.map((d) => [d.doc_id, d.date]));
    let written = 0;
    for (let i = 0; i < slice.length; i += 100) {
      const part = slice.slice(i, i + 100);
      const names = part.map((b) => keys.search(b));
      const values = await kv.get(names, "text");
      await Promise.all(
        part.map((b, j) => {
          const bucket = this.mergeBucket(b, values.get(names[j]!) ?? null, merged, live, dates);
          written++;
          return kv.put(names[j]!, JSON.stringify(bucket));
        }),
      );
    }
    for (const b of slice) this.sql.exec("DELETE FROM merge_buckets WHERE bucket = ?", b);
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM merge_buckets").one().n;
    if (!left) this.finishMerge();
    return { left, written };
  }

  private mergeBucket(
    b: number,
    text: string | null,
    merged: Set<number>,
    live: { id: number; terms: Record<string, number> }[],
    dates: Map<number, number>,
  ): SearchBucket {
    let old: SearchBucket | null = null;
    try {
      old = text ? (JSON.parse(text) as SearchBucket) : null;
    } catch {
      old = null;
    }
    const lists = new Map<string, [number, number, number][]>();
    for (const [term, flat] of Object.entries(old?.terms ?? {})) {
      const list: [number, number, number][] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) if (!merged.has(flat[i]!)) list.push([flat[i]!, flat[i + 1]!, flat[i + 2]!]);
      lists.set(term, list);
    }
    for (const doc of live) {
      for (const [term, weight] of Object.entries(doc.terms)) {
        if (bucketOf(term) !== b) continue;
        const list = lists.get(term) ?? [];
        list.push([doc.id, weight, dates.get(doc.id) ?? 0]);
        lists.set(term, list);
      }
    }
    const terms: Record<string, number[]> = {};
    for (const [term, list] of lists) if (list.length) terms[term] = rankPostings(list);
    return { v: 3, terms };
  }

  /** Takes the merged documents out of the delta, keeping any saved again while the merge ran. */
  private finishMerge(): void {
    this.sql.exec("DELETE FROM delta_docs WHERE doc_id IN (SELECT m.doc_id FROM merge_docs m WHERE m.dead = 0 AND m.rev = delta_docs.rev)");
    this.sql.exec("DELETE FROM delta_dead WHERE doc_id IN (SELECT doc_id FROM merge_docs WHERE dead = 1)");
    this.sql.exec("DELETE FROM stale WHERE id <= ?", Number(readMeta(this.sql, "merge_stale") ?? 0));
    this.sql.exec("DELETE FROM merge_docs");
  }
}
