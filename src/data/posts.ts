import { readCached } from "./kv-cache";
import { heldParse } from "./parsed";
import type {
  ListingBlock,
  ListingChunk,
  ListingHead,
  PagesRecord,
  PostLink,
  PostRecord,
  PostSummaryRecord,
  TagRecord,
} from "../core/types";
import { CHUNK, keyKind, listingKey, type ListingRef } from "../core/keys";
import type { BlogStore } from "../core/keys";
import { getOrMake } from "../core/maps";
import { log } from "../core/log";

const isStr = (v: unknown) => typeof v === "string";
const isSummary = (p: unknown): boolean => {
  const r = p as PostSummaryRecord;
  return !!r && isStr(r.slug) && isStr(r.title) && isStr(r.date) && Array.isArray(r.tags) && isStr(r.summary);
};

/** Shape checks: a value written by another version, or damaged, counts as missing rather than crashing a page. */
type Loose = Record<string, unknown> & {
  older?: { slug?: unknown } | null;
  items?: unknown[];
  recent?: unknown[];
  scheduled?: unknown[];
  tags?: TagRecord[];
};
const SHAPES: Record<string, (v: Loose) => boolean> = {
  post: (v) => isSummary(v) && isStr(v.html) && Array.isArray(v.newer) && (v.older === null || isStr(v.older?.slug)),
  list: (v) =>
    v.v === 2
      ? Array.isArray(v.recent)
        ? typeof v.total === "number" &&
          typeof v.start === "number" &&
          (v.recent as unknown[]).every(isSummary) &&
          Array.isArray(v.scheduled) &&
          v.scheduled.every(isSummary)
        : Array.isArray(v.items) && v.items.every(isSummary)
      : typeof v.total === "number" &&
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
    const known = value && (value.v === 1 || (value.v === 2 && kind === "list"));
    if (known && (SHAPES[kind]?.(value as unknown as Loose) ?? true)) return value;
  } catch {
    /* reported below */
  }
  log("error", "KV value is damaged or of another version; treating it as missing", { key });
  return null;
}

/** parse(), once per distinct text (data/parsed.ts): the same frozen object for the same text. */
export const parsedOnce = <T extends { v: number }>(text: string | null | undefined, key: string): T | null =>
  heldParse("record", text, (t) => parse<T>(t, key));

const isPublic = (p: { date: string }, now: Date) => Date.parse(p.date) <= now.getTime();

export interface VisiblePost extends PostRecord {
  /** The visible newer neighbour at request time. */
  next: PostLink | null;
}

/** A record as readers see it, per newer neighbour shown: the same object while neither changes. */
const visible = new WeakMap<PostRecord, Map<string, VisiblePost>>();

/** A post a reader may see now: null when it does not exist, is a draft or is scheduled later. */
export async function getPublicPost({ kv, keys, holdMs }: BlogStore, slug: string, now: Date): Promise<VisiblePost | null> {
  const post = parsedOnce<PostRecord>(await readCached(kv, keys.post(slug), holdMs), keys.post(slug));
  if (!post || post.draft || !isPublic(post, now)) return null;
  const next = post.newer.find((p) => isPublic(p, now)) ?? null;
  const byNext = getOrMake(visible, post, () => new Map<string, VisiblePost>());
  return getOrMake(byNext, next?.slug ?? "", () => Object.freeze({ ...post, next }));
}

export interface ListingPage {
  name: string;
  total: number;
  items: PostSummaryRecord[];
}

/**
 * Posts [offset, offset + limit) of a listing as readers see it now, newest first. Reads the
 * listing's head, which holds at least the newest CHUNK posts (so every page of up to 100 posts
 * among the newest costs one read), and for older pages the one or two blocks they fall in.
 * null: no such listing.
 */
export async function getListingPage(
  store: BlogStore,
  listing: ListingRef,
  offset: number,
  limit: number,
  now: Date,
): Promise<ListingPage | null> {
  const { kv, keys } = store;
  const headKey = keys.listHead(listing);
  const head = parsedOnce<ListingHead>(await readCached(kv, headKey, store.holdMs), headKey);
  if (!head) return legacyListingPage(store, listing, offset, limit, now);
  const became = head.scheduled.filter((p) => isPublic(p, now));
  const total = head.total + became.length;
  const end = Math.min(offset + limit, total);
  // Position of the i-th newest post, counted from the oldest (scheduled ones that became public aside).
  const position = (i: number) => head.total - 1 - (i - became.length);
  const wanted = new Set<number>();
  for (let i = Math.max(offset, became.length); i < end; i++) {
    const p = position(i);
    if (p < head.start) wanted.add(Math.floor(p / CHUNK));
  }
  const names = [...wanted].map((b) => keys.listBlock(listing, b));
  const values = names.length ? await kv.get(names, "text") : new Map<string, string | null>();
  const blocks = new Map([...wanted].map((b, i) => [b, parsedOnce<ListingBlock>(values.get(names[i]!), names[i]!)]));
  const items: PostSummaryRecord[] = [];
  for (let i = offset; i < end; i++) {
    if (i < became.length) {
      items.push(became[i]!);
      continue;
    }
    const p = position(i);
    const item = p >= head.start ? head.recent[p - head.start] : blocks.get(Math.floor(p / CHUNK))?.items[p % CHUNK];
    if (!item) break;
    items.push(item);
  }
  return { name: head.name, total, items };
}

/** How many posts a listing shows now, from its head alone (or the single-blog layout's first chunk). */
export async function listingTotal(store: BlogStore, listing: ListingRef, now: Date): Promise<number> {
  return (await getListingPage(store, listing, 0, 0, now))?.total ?? 0;
}

/** The single-blog layout (chunks numbered from the newest), read until the next publish or save rewrites a listing. */
async function legacyListingPage(
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

/** Every public post's summary, newest first: the head, then one bulk read per 100 blocks. */
export async function getAllPublic(store: BlogStore, now: Date): Promise<PostSummaryRecord[]> {
  const { kv, keys } = store;
  const home = { kind: "home" } as const;
  const headKey = keys.listHead(home);
  const head = parse<ListingHead>(await kv.get(headKey), headKey);
  if (!head) return legacyAllPublic(store, now);
  const out = head.scheduled.filter((p) => isPublic(p, now));
  out.push(...[...head.recent].reverse());
  const blocks = head.start / CHUNK;
  for (let top = blocks; top > 0; top -= 100) {
    const names = Array.from({ length: Math.min(100, top) }, (_, i) => keys.listBlock(home, top - 1 - i));
    const values = await kv.get(names, "text");
    for (const name of names) out.push(...[...(parse<ListingBlock>(values.get(name), name)?.items ?? [])].reverse());
  }
  return out;
}

async function legacyAllPublic(store: BlogStore, now: Date): Promise<PostSummaryRecord[]> {
  const { kv, keys } = store;
  const first = await legacyListingPage(store, { kind: "home" }, 0, CHUNK, now);
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

/** The blog's public pages (About, Contact…), slug order: for the sitemap and the menu. */
export async function getPublicPages({ kv, keys, holdMs }: BlogStore, now: Date): Promise<PagesRecord["pages"]> {
  const value = parse<PagesRecord>(await readCached(kv, keys.pages, holdMs), keys.pages);
  const nowIso = now.toISOString();
  return (value?.pages ?? []).filter((p) => p.date <= nowIso);
}

/** A public post that is not a page: what the fediverse is sent and may reply to (pages never federate). */
export async function getFederatedPost(store: BlogStore, slug: string, now: Date): Promise<VisiblePost | null> {
  const post = await getPublicPost(store, slug, now);
  return post && post.type !== "page" ? post : null;
}
