import { htmlText } from "../content/text";
import { bucketOf, snippet, terms, type Posting, type SearchBucket, type Segment } from "../content/search";
import type { PostRecord } from "../content/types";
import { keys } from "./keys";
import { parse } from "./posts";

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

function bucketOrNull(text: string | null | undefined): SearchBucket | null {
  if (!text) return null;
  try {
    const b = JSON.parse(text) as SearchBucket;
    return b && b.v === 1 && typeof b.n === "number" && b.terms && typeof b.terms === "object" ? b : null;
  } catch {
    return null;
  }
}

/**
 * Ranks public posts for a query: one bulk read of the terms' index buckets, one bulk read of
 * the page's posts, whatever the number of posts. Posts holding every term rank first.
 */
export async function searchPosts(kv: KVNamespace, query: string, offset: number, limit: number, now: Date): Promise<SearchResult> {
  const wanted = [...new Set(terms(query))].slice(0, MAX_QUERY_TERMS);
  if (!wanted.length) return { terms: [], total: 0, hits: [] };
  const bucketKeys = [...new Set(wanted.map((t) => keys.search(bucketOf(t))))];
  const buckets = await kv.get(bucketKeys, "text");
  const nowIso = now.toISOString();
  const scores = new Map<string, { score: number; matched: number }>();
  for (const term of wanted) {
    const bucket = bucketOrNull(buckets.get(keys.search(bucketOf(term))));
    const found = bucket && Object.hasOwn(bucket.terms, term) ? bucket.terms[term] : undefined;
    const postings: Posting[] = Array.isArray(found) ? found.filter((p) => Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "number" && typeof p[2] === "string") : [];
    if (!postings.length) continue;
    const idf = Math.log(1 + (bucket!.n - postings.length + 0.5) / (postings.length + 0.5));
    for (const [slug, weight, date] of postings) {
      if (date > nowIso) continue;
      const entry = scores.get(slug) ?? { score: 0, matched: 0 };
      entry.score += idf * weight;
      entry.matched++;
      scores.set(slug, entry);
    }
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1].matched - a[1].matched || b[1].score - a[1].score || a[0].localeCompare(b[0]));
  const page = ranked.slice(offset, offset + limit);
  if (!page.length) return { terms: wanted, total: ranked.length, hits: [] };
  const postKeys = page.map(([slug]) => keys.post(slug));
  const posts = await kv.get(postKeys, "text");
  const termSet = new Set(wanted);
  const hits: SearchHit[] = [];
  for (const [slug, { score }] of page) {
    const post = parse<PostRecord>(posts.get(keys.post(slug)), keys.post(slug));
    if (!post || post.draft || post.date > nowIso) continue;
    const body = htmlText(post.html);
    const fromBody = snippet(body, termSet);
    hits.push({ post, score: Math.round(score * 1000) / 1000, snippet: fromBody.some((s) => s.hit) ? fromBody : snippet(post.summary, termSet) });
  }
  return { terms: wanted, total: ranked.length, hits };
}
