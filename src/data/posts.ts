import type { ListingChunk, PostLink, PostRecord, PostSummaryRecord, TagRecord } from "../content/types";
import { CHUNK, keyKind, listingKey, type ListingRef } from "../content/keys";
import type { BlogStore } from "../content/keys";

const isStr = (v: unknown) => typeof v === "string";
const isSummary = (p: unknown): boolean => {
  const r = p as PostSummaryRecord;
  return !!r && isStr(r.slug) && isStr(r.title) && isStr(r.date) && Array.isArray(r.tags) && isStr(r.summary);
};

/** Shape checks: a value written by another version, or damaged, counts as missing rather than crashing a page. */
type Loose = Record<string, unknown> & { older?: { slug?: unknown } | null; items?: unknown[]; scheduled?: unknown[]; tags?: TagRecord[] };
const SHAPES: Record<string, (v: Loose) => boolean> = {
  post: (v) => isSummary(v) && isStr(v.html) && Array.isArray(v.newer) && (v.older === null || isStr(v.older?.slug)),
  list: (v) =>
    typeof v.total === "number" &&
    typeof v.start === "number" &&
    Array.isArray(v.items) &&
    Array.isArray(v.scheduled) &&
    v.items!.every(isSummary) &&
    v.scheduled!.every(isSummary),
  tags: (v) => Array.isArray(v.tags) && v.tags.every((t) => isStr(t?.slug) && Array.isArray(t.scheduled)),
};

export function parse<T extends { v: number }>(text: string | null | undefined, key: string): T | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as T;
    const kind = keyKind(key);
    if (value && value.v === 1 && (SHAPES[kind]?.(value as unknown as Loose) ?? true)) return value;
  } catch {
    /* reported below */
  }
  console.error(`KV value of ${key} is damaged or of another version; treating it as missing`);
  return null;
}

const isPublic = (p: { date: string }, now: Date) => Date.parse(p.date) <= now.getTime();

export interface VisiblePost extends PostRecord {
  /** The visible newer neighbour at request time. */
  next: PostLink | null;
}

/** A post a reader may see now: null when it does not exist, is a draft or is scheduled later. */
export async function getPublicPost({ kv, keys }: BlogStore, slug: string, now: Date): Promise<VisiblePost | null> {
  const post = parse<PostRecord>(await kv.get(keys.post(slug)), keys.post(slug));
  if (!post || post.draft || !isPublic(post, now)) return null;
  return { ...post, next: post.newer.find((p) => isPublic(p, now)) ?? null };
}

export interface ListingPage {
  name: string;
  total: number;
  items: PostSummaryRecord[];
}

/**
 * Posts [offset, offset + limit) of a listing as readers see it now, newest first.
 * Reads one chunk key (two when the window straddles a chunk boundary). null: no such listing.
 */
export async function getListingPage(
  { kv, keys }: BlogStore,
  listing: ListingRef,
  offset: number,
  limit: number,
  now: Date,
): Promise<ListingPage | null> {
  const first = Math.floor(offset / CHUNK);
  const last = Math.floor((offset + limit - 1) / CHUNK);
  const wanted = first === last ? [listingKey(keys, listing, first)] : [listingKey(keys, listing, first), listingKey(keys, listing, last)];
  const texts = wanted.length === 1 ? new Map([[wanted[0]!, await kv.get(wanted[0]!)]]) : await kv.get(wanted);
  const head = parse<ListingChunk>(texts.get(wanted[0]!), wanted[0]!);
  const tail = wanted[1] ? parse<ListingChunk>(texts.get(wanted[1]), wanted[1]) : null;
  if (!head) {
    // Past the last chunk: the page is empty, but the listing's size still comes from chunk 0.
    if (first === 0) return null;
    const zero = parse<ListingChunk>(await kv.get(listingKey(keys, listing, 0)), listingKey(keys, listing, 0));
    if (!zero) return null;
    return { name: zero.name, total: zero.total + zero.scheduled.filter((p) => isPublic(p, now)).length, items: [] };
  }

  const became = head.scheduled.filter((p) => isPublic(p, now));
  const total = head.total + became.length;
  const items: PostSummaryRecord[] = [];
  for (let i = offset; i < Math.min(offset + limit, total); i++) {
    if (i < became.length) {
      items.push(became[i]!);
      continue;
    }
    const p = i - became.length;
    const chunk = [head, tail].find((c) => c && p >= c.start && p < c.start + c.items.length);
    if (!chunk) break;
    items.push(chunk.items[p - chunk.start]!);
  }
  return { name: head.name, total, items };
}

/** The newest `limit` (≤ 100) public posts of a listing, with their HTML: one chunk read and one bulk read. */
export async function getRecentPosts(
  store: BlogStore,
  listing: ListingRef,
  limit: number,
  now: Date,
): Promise<{ name: string; posts: PostRecord[] } | null> {
  const { kv, keys } = store;
  const page = await getListingPage(store, listing, 0, limit, now);
  if (!page) return null;
  if (!page.items.length) return { name: page.name, posts: [] };
  const wanted = page.items.map((p) => keys.post(p.slug));
  const values = await kv.get(wanted, "text");
  const posts = wanted
    .map((key) => parse<PostRecord>(values.get(key), key))
    .filter((p): p is PostRecord => p !== null && !p.draft && isPublic(p, now));
  return { name: page.name, posts };
}

/** Every public post's summary, newest first: one chunk read, then one bulk read per 99 further chunks. */
export async function getAllPublic(store: BlogStore, now: Date): Promise<PostSummaryRecord[]> {
  const { kv, keys } = store;
  const first = await getListingPage(store, { kind: "home" }, 0, CHUNK, now);
  if (!first) return [];
  const out = [...first.items];
  const seen = new Set(out.map((p) => p.slug));
  const chunks = Math.ceil(first.total / CHUNK) + 1;
  for (let start = 1; start < chunks; start += 99) {
    const ks = Array.from({ length: Math.min(99, chunks - start) }, (_, i) => listingKey(keys, { kind: "home" }, start + i));
    const values = await kv.get(ks, "text");
    for (const key of ks) {
      for (const item of parse<ListingChunk>(values.get(key), key)?.items ?? []) {
        if (!seen.has(item.slug)) {
          seen.add(item.slug);
          out.push(item);
        }
      }
    }
  }
  return out;
}

/** Tags with at least one public post now. */
export async function getPublicTags({ kv, keys }: BlogStore, now: Date): Promise<{ slug: string; name: string; lastmod: string | null }[]> {
  const value = parse<{ v: 1; tags: TagRecord[] }>(await kv.get(keys.tags), keys.tags);
  if (!value) return [];
  const nowIso = now.toISOString();
  return value.tags
    .map((t) => {
      const live = t.scheduled.filter((d) => d <= nowIso);
      const lastmod =
        [t.lastmod, ...live]
          .filter((d): d is string => !!d)
          .sort()
          .at(-1) ?? null;
      return { slug: t.slug, name: t.name, visible: t.published + live.length > 0, lastmod };
    })
    .filter((t) => t.visible)
    .map(({ slug, name, lastmod }) => ({ slug, name, lastmod }));
}
