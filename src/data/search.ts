import {
  bucketOf,
  DOCS_PER_CHUNK,
  type DocsChunk,
  minutes,
  type SearchBucket,
  type SearchDelta,
  type Segment,
  snippet,
  terms,
  tokenize,
  type Tokens,
} from "../core/search";
import { htmlText } from "../core/text";
import type { PostRecord } from "../core/types";
import type { BlogStore } from "../core/keys";
import { parsedOnce } from "./posts";
import { heldParse } from "./parsed";
import { getOrMake } from "../core/maps";

export const MAX_QUERY_TERMS = 8;

export interface SearchHit {
  post: PostRecord;
  score: number;
  snippet: Segment[];
}

export interface SearchResult {
  terms: string[];
  total: number;
  hits: SearchHit[];
}

/** A value of the index, parsed once per text by this isolate (data/parsed.ts: the buckets of common terms and the id → slug keys serve query after query). */
function json<T extends object>(kind: string, text: string | null | undefined, valid: (v: T) => boolean): T | null {
  return heldParse(kind, text, (t) => {
    try {
      const v = JSON.parse(t) as T;
      return v && valid(v) ? v : null;
    } catch {
      return null;
    }
  });
}

const isBucket = (b: SearchBucket) => (b.v === 2 || b.v === 3) && !!b.terms && typeof b.terms === "object";
const isDelta = (d: SearchDelta) => d.v === 1 && typeof d.n === "number" && !!d.docs && typeof d.docs === "object" && Array.isArray(d.dead);
const isDocs = (d: DocsChunk) => d.v === 1 && Array.isArray(d.slugs);

/** Up to this many best results are picked in one pass; a later page sorts every match. */
const MAX_SELECTED = 200;

/** Per-document scores of the query being ranked (see searchPosts). */
const scratch = { score: new Float64Array(1024), matched: new Uint8Array(1024) };

function grow(id: number) {
  const score = new Float64Array(Math.max(id + 1, scratch.score.length * 2));
  score.set(scratch.score);
  const matched = new Uint8Array(score.length);
  matched.set(scratch.matched);
  scratch.score = score;
  scratch.matched = matched;
}

/** A post's text without markup and its words, once per parsed record (a post comes up for query after query). */
const texts = new WeakMap<PostRecord, { text: string; tokens: Tokens }>();
const textOf = (post: PostRecord) =>
  getOrMake(texts, post, () => {
    const text = htmlText(post.html);
    return { text, tokens: tokenize(text) };
  });

/**
 * Ranks public posts for a query with three bulk KV reads, whatever the number of posts: the
 * terms' index buckets, the id → slug keys of the page's hits, and the page's posts.
 * Posts holding every term rank first.
 */
export async function searchPosts({ kv, keys }: BlogStore, query: string, offset: number, limit: number, now: Date): Promise<SearchResult> {
  const wanted = [...new Set(terms(query))].slice(0, MAX_QUERY_TERMS);
  if (!wanted.length) return { terms: [], total: 0, hits: [] };
  const bucketKeys = [...new Set(wanted.map((t) => keys.search(bucketOf(t))))];
  const values = await kv.get([...bucketKeys, keys.searchDelta], { type: "text", cacheTtl: 60 });
  const delta = json<SearchDelta>("search-delta", values.get(keys.searchDelta), isDelta);
  // A document in the delta replaces its postings in the buckets; a dead one has none.
  const superseded = new Set<number>(delta ? [...Object.keys(delta.docs).map(Number), ...delta.dead] : []);
  const nowMinutes = minutes(now.toISOString());
  // Scores by document id in flat arrays (ids are dense, from 0), kept between queries and left
  // zeroed: from here to the ranking nothing awaits, so no other query can use them meanwhile.
  const touched: number[] = [];
  const add = (id: number, value: number) => {
    if (id >= scratch.score.length) grow(id);
    if (scratch.matched[id] === 0) touched.push(id);
    scratch.score[id]! += value;
    scratch.matched[id]!++;
  };
  for (const term of wanted) {
    const bucket = json<SearchBucket>("search-bucket", values.get(keys.search(bucketOf(term))), isBucket);
    const flat = bucket && Object.hasOwn(bucket.terms, term) && Array.isArray(bucket.terms[term]) ? bucket.terms[term]! : [];
    const fresh = Object.entries(delta?.docs ?? {}).filter(
      ([, doc]) => Object.hasOwn(doc.terms, term) && typeof doc.terms[term] === "number",
    );
    let df = fresh.length;
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const id = flat[i]!;
      if (typeof id === "number" && typeof flat[i + 1] === "number" && !superseded.has(id)) df++;
    }
    if (!df) continue;
    const n = Math.max(df, delta?.n ?? bucket?.n ?? df);
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const id = flat[i]!;
      const weight = flat[i + 1]!;
      const date = flat[i + 2]!;
      if (typeof id !== "number" || typeof weight !== "number" || superseded.has(id) || !(date <= nowMinutes)) continue;
      add(id, (idf * weight) / 1000);
    }
    for (const [id, doc] of fresh) if (doc.date <= nowMinutes) add(Number(id), (idf * doc.terms[term]!) / 1000);
  }
  // Most terms matched first, then score, then the newer post; only the best offset + limit are ordered.
  const { score, matched } = scratch;
  const better = (a: number, b: number) => matched[a]! - matched[b]! || score[a]! - score[b]! || a - b;
  const wantedCount = offset + limit;
  let best: number[];
  if (wantedCount > MAX_SELECTED) best = [...touched].sort((a, b) => better(b, a)).slice(0, wantedCount);
  else {
    best = [];
    for (const id of touched) {
      if (best.length === wantedCount && better(id, best[wantedCount - 1]!) <= 0) continue;
      let at = best.length;
      while (at > 0 && better(id, best[at - 1]!) > 0) at--;
      best.splice(at, 0, id);
      if (best.length > wantedCount) best.pop();
    }
  }
  const ranked = best.slice(offset).map((id) => [id, { score: score[id]! }] as const);
  for (const id of touched) {
    scratch.score[id] = 0;
    scratch.matched[id] = 0;
  }
  const total = touched.length;
  if (!ranked.length) return { terms: wanted, total, hits: [] };

  const docKeys = [...new Set(ranked.map(([id]) => keys.searchDocs(Math.floor(id / DOCS_PER_CHUNK))))];
  const docValues = await kv.get(docKeys, { type: "text", cacheTtl: 60 });
  const slugOf = (id: number) =>
    json<DocsChunk>("search-docs", docValues.get(keys.searchDocs(Math.floor(id / DOCS_PER_CHUNK))), isDocs)?.slugs[id % DOCS_PER_CHUNK];
  const found = ranked
    .map(([id, { score }]) => ({ slug: slugOf(id), score }))
    .filter((x): x is { slug: string; score: number } => typeof x.slug === "string");
  if (!found.length) return { terms: wanted, total, hits: [] };

  const postKeys = found.map(({ slug }) => keys.post(slug));
  const posts = await kv.get(postKeys, "text");
  const nowIso = now.toISOString();
  const termSet = new Set(wanted);
  const hits: SearchHit[] = [];
  for (const { slug, score } of found) {
    const post = parsedOnce<PostRecord>(posts.get(keys.post(slug)), keys.post(slug));
    if (!post || post.draft || post.date > nowIso) continue;
    const body = textOf(post);
    const fromBody = snippet(body.text, termSet, 32, body.tokens);
    hits.push({
      post,
      score: Math.round(score * 1000) / 1000,
      snippet: fromBody.some((s) => s.hit) ? fromBody : snippet(post.summary, termSet),
    });
  }
  return { terms: wanted, total, hits };
}
