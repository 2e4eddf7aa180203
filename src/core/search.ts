/** Full-text search: tokenizing shared by the index (built at publish time) and queries. */
import { fnv1a } from "./hash";
import { fold } from "./vocabulary";
import { getOrMake } from "./maps";

const STOPWORDS = new Set(
  [
    "a an and are as at be but by for from had has have he her his i if in into is it its of on or our",
    "she so than that the their them then there these they this to was we were what when which who will",
    "with you your not no do does did can could would should been being",
  ]
    .join(" ")
    .split(" "),
);

/** Buckets the terms are hashed into: one KV key each, so a query reads one key per term. */
export const SEARCH_BUCKETS = 4096;
/** Postings kept per term (the best-scoring ones). */
export const MAX_POSTINGS = 1000;

/** A light English stem, the same for documents and queries: "policies" → "policy", "trains" → "train". */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !/(ss|us|is|ys)$/.test(word)) return word.slice(0, -1);
  return word;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The index terms of a text, in order (stopwords and one-letter words dropped). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = fold(m[0]);
    if (w.length < 2 || w.length > 40 || STOPWORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** FNV-1a, for a stable term → bucket mapping in Node and workerd alike. */
export function bucketOf(term: string): number {
  return fnv1a(term) % SEARCH_BUCKETS;
}

/** Documents per `v1:search:docs:<n>` key, which maps document ids to slugs. */
export const DOCS_PER_CHUNK = 1000;

export interface SearchBucket {
  /** 3: the document count is in the delta key (2, before several blogs: here, in every bucket). */
  v: 2 | 3;
  n?: number;
  /** Per term, flat postings: document id, weight × 1000, date in minutes since 1970; best first. */
  terms: Record<string, number[]>;
}

/**
 * The documents added, changed or removed since the buckets were last merged (by the editor
 * object, in the background), and the document count. A query reads it with the buckets, in the
 * same bulk read; a document here supersedes its postings in the buckets.
 */
export interface SearchDelta {
  v: 1;
  n: number;
  /** Document id → its date (minutes) and term weights. */
  docs: Record<string, { date: number; terms: Record<string, number> }>;
  /** Removed document ids whose postings may still be in buckets. */
  dead: number[];
}

/** `keys.searchStale`: document id → the terms of its postings still in the buckets (superseded or removed since). */
export interface SearchStale {
  v: 1;
  docs: Record<string, string[]>;
}

export interface DocsChunk {
  v: 1;
  /** null: a removed document. */
  slugs: (string | null)[];
}

export const minutes = (iso: string) => Math.floor(Date.parse(iso) / 60_000);

export interface SearchDoc {
  slug: string;
  date: string;
  title: string;
  tags: string[];
  summary: string;
  body: string;
}

const FIELD_WEIGHTS = { title: 5, tags: 4, summary: 2, body: 1 } as const;
/** A fixed typical length for BM25's length normalisation: with the corpus average instead, one edited post would change every posting. */
const TYPICAL_TERMS = 400;

/**
 * Builds the bucketed inverted index (BM25-style term weights per document). Documents are
 * numbered oldest first, so a new post does not renumber the others and a publish rewrites
 * only the buckets of the terms it touches.
 */
export function buildSearchIndex(docs: SearchDoc[]): {
  buckets: Map<number, SearchBucket>;
  docs: Map<number, DocsChunk>;
  delta: SearchDelta;
} {
  const ordered = [...docs].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.slug < b.slug ? -1 : 1));
  if (ordered.length >= ID_RANGE) throw new Error(`the search index takes at most ${ID_RANGE - 1} posts`);
  const dates = ordered.map((doc) => minutes(doc.date));
  // Per term, one number per posting (see ID_RANGE): no array per posting, and a plain numeric sort.
  const postings = new Map<string, number[]>();
  ordered.forEach((doc, id) => {
    for (const [term, score] of docTerms(doc)) getOrMake(postings, term, () => []).push(score * ID_RANGE + id);
  });
  const buckets = new Map<number, SearchBucket>();
  for (const [term, list] of postings) {
    const b = bucketOf(term);
    let bucket = buckets.get(b);
    if (!bucket) {
      bucket = { v: 3, terms: {} };
      buckets.set(b, bucket);
    }
    bucket.terms[term] = rankKeys(list, dates);
  }
  const chunks = new Map<number, DocsChunk>();
  for (let i = 0; i < ordered.length; i += DOCS_PER_CHUNK) {
    chunks.set(i / DOCS_PER_CHUNK, { v: 1, slugs: ordered.slice(i, i + DOCS_PER_CHUNK).map((d) => d.slug) });
  }
  return { buckets, docs: chunks, delta: { v: 1, n: docs.length, docs: {}, dead: [] } };
}

/** A document's index terms and their BM25-style weights (× 1000). */
export function docTerms(doc: SearchDoc): Map<string, number> {
  const tf = new Map<string, number>();
  // BM25's document length: the terms of the body and the title (each text is split once).
  let length = 0;
  for (const [field, weight] of Object.entries(FIELD_WEIGHTS) as [keyof typeof FIELD_WEIGHTS, number][]) {
    const text = field === "tags" ? doc.tags.join(" ") : doc[field];
    const found = terms(text);
    if (field === "body" || field === "title") length += found.length;
    for (const t of found) tf.set(t, (tf.get(t) ?? 0) + weight);
  }
  const norm = 1 - 0.75 + 0.75 * (length / TYPICAL_TERMS);
  const out = new Map<string, number>();
  for (const [term, f] of tf) out.set(term, Math.round(((f * 2.2) / (f + 1.2 * norm)) * 1000));
  return out;
}

/**
 * Postings as single numbers while the index is built: weight × ID_RANGE + document id, so
 * larger is better (higher weight, then newer id), as rankPostings orders them. Weights are below
 * 2,200, so every key is an exact integer.
 */
const ID_RANGE = 2 ** 21;

/** rankPostings for postings as keys: the best MAX_POSTINGS, best first (flat: id, weight, date). */
function rankKeys(keys: number[], dates: number[]): number[] {
  const sorted = Float64Array.from(keys).sort();
  const n = Math.min(MAX_POSTINGS, sorted.length);
  const out = new Array<number>(n * 3);
  for (let i = 0; i < n; i++) {
    const key = sorted[sorted.length - 1 - i]!;
    const id = key % ID_RANGE;
    out[3 * i] = id;
    out[3 * i + 1] = (key - id) / ID_RANGE;
    out[3 * i + 2] = dates[id]!;
  }
  return out;
}

/** Keeps a term's postings list to the best MAX_POSTINGS, best first (flat: id, weight, date). */
export function rankPostings(list: [number, number, number][]): number[] {
  return list
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, MAX_POSTINGS)
    .flat();
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** The words of a text as a snippet needs them: where each is, and its index term. */
export interface Tokens {
  starts: number[];
  ends: number[];
  stems: string[];
}

export function tokenize(text: string): Tokens {
  const out: Tokens = { starts: [], ends: [], stems: [] };
  const finder = new RegExp(WORD.source, "gu");
  for (let m = finder.exec(text); m; m = finder.exec(text)) {
    out.starts.push(m.index);
    out.ends.push(m.index + m[0].length);
    out.stems.push(stem(fold(m[0])));
  }
  return out;
}

/**
 * About `words` words of `text` around the densest run of query terms, split into marked and
 * plain parts. `tokens`: the text's, when the caller keeps them (a post shown for many queries).
 */
export function snippet(text: string, queryTerms: Set<string>, words = 32, tokens = tokenize(text)): Segment[] {
  const { starts, ends, stems } = tokens;
  const count = starts.length;
  if (!count) return [];
  // Hits among the first i words, so a window's hits are one subtraction.
  const hitsBefore = new Array<number>(count + 1);
  hitsBefore[0] = 0;
  for (let i = 0; i < count; i++) hitsBefore[i + 1] = hitsBefore[i]! + (queryTerms.has(stems[i]!) ? 1 : 0);
  const isHit = (i: number) => hitsBefore[i + 1]! > hitsBefore[i]!;
  let best = 0;
  let bestHits = -1;
  for (let i = 0; i < count; i++) {
    if (!isHit(i)) continue;
    const from = Math.max(0, i - 6);
    const hits = hitsBefore[Math.min(count, from + words)]! - hitsBefore[from]!;
    if (hits > bestHits) {
      bestHits = hits;
      best = from;
    }
  }
  const last = Math.min(count, best + words) - 1;
  const start = starts[best]!;
  const end = ends[last]!;
  const out: Segment[] = [];
  if (best > 0) out.push({ text: "…", hit: false });
  let at = start;
  for (let i = best; i <= last; i++) {
    if (!isHit(i)) continue;
    if (starts[i]! > at) out.push({ text: text.slice(at, starts[i]), hit: false });
    out.push({ text: text.slice(starts[i], ends[i]), hit: true });
    at = ends[i]!;
  }
  if (end > at) out.push({ text: text.slice(at, end), hit: false });
  if (best + words < count) out.push({ text: "…", hit: false });
  return out;
}
