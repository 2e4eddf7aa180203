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
} from "../content/search";
import { htmlText } from "../content/text";
import type { PostRecord } from "../content/types";
import type { BlogStore } from "../content/keys";
import { parsedOnce } from "./posts";
import { heldParse } from "./parsed";
import { getOrMake } from "../content/maps";

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

/** A post's text without markup, once per parsed record. */
const texts = new WeakMap<PostRecord, string>();
const textOf = (post: PostRecord) => getOrMake(texts, post, () => htmlText(post.html));

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
  const scores = new Map<number, { score: number; matched: number }>();
  for (const term of wanted) {
    const bucket = json<SearchBucket>("search-bucket", values.get(keys.search(bucketOf(term))), isBucket);
    const flat = bucket && Object.hasOwn(bucket.terms, term) && Array.isArray(bucket.terms[term]) ? bucket.terms[term]! : [];
    const postings: [number, number, number][] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const [id, weight, date] = [flat[i]!, flat[i + 1]!, flat[i + 2]!];
      if (typeof id === "number" && typeof weight === "number" && !superseded.has(id)) postings.push([id, weight, date]);
    }
    for (const [id, doc] of Object.entries(delta?.docs ?? {})) {
      const weight = doc.terms[term];
      if (typeof weight === "number" && Object.hasOwn(doc.terms, term)) postings.push([Number(id), weight, doc.date]);
    }
    const df = postings.length;
    if (!df) continue;
    const n = Math.max(df, delta?.n ?? bucket?.n ?? df);
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const [id, weight, date] of postings) {
      if (!(date <= nowMinutes)) continue;
      const entry = scores.get(id) ?? { score: 0, matched: 0 };
      entry.score += (idf * weight) / 1000;
      entry.matched++;
      scores.set(id, entry);
    }
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1].matched - a[1].matched || b[1].score - a[1].score || b[0] - a[0]);
  const page = ranked.slice(offset, offset + limit);
  if (!page.length) return { terms: wanted, total: ranked.length, hits: [] };

  const docKeys = [...new Set(page.map(([id]) => keys.searchDocs(Math.floor(id / DOCS_PER_CHUNK))))];
  const docValues = await kv.get(docKeys, { type: "text", cacheTtl: 60 });
  const slugOf = (id: number) =>
    json<DocsChunk>("search-docs", docValues.get(keys.searchDocs(Math.floor(id / DOCS_PER_CHUNK))), isDocs)?.slugs[id % DOCS_PER_CHUNK];
  const found = page
    .map(([id, { score }]) => ({ slug: slugOf(id), score }))
    .filter((x): x is { slug: string; score: number } => typeof x.slug === "string");
  if (!found.length) return { terms: wanted, total: ranked.length, hits: [] };

  const postKeys = found.map(({ slug }) => keys.post(slug));
  const posts = await kv.get(postKeys, "text");
  const nowIso = now.toISOString();
  const termSet = new Set(wanted);
  const hits: SearchHit[] = [];
  for (const { slug, score } of found) {
    const post = parsedOnce<PostRecord>(posts.get(keys.post(slug)), keys.post(slug));
    if (!post || post.draft || post.date > nowIso) continue;
    const fromBody = snippet(textOf(post), termSet);
    hits.push({
      post,
      score: Math.round(score * 1000) / 1000,
      snippet: fromBody.some((s) => s.hit) ? fromBody : snippet(post.summary, termSet),
    });
  }
  return { terms: wanted, total: ranked.length, hits };
}
