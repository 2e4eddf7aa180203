import type { ListingChunk, PostLink, PostRecord, PostSummaryRecord } from "../content/types";
import { CHUNK, keys, listingKey, type ListingRef } from "./keys";

function parse<T extends { v: number }>(text: string | null | undefined, key: string): T | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as T;
    return value && value.v === 1 ? value : null;
  } catch {
    console.error(`KV value of ${key} is not valid JSON; treating it as missing`);
    return null;
  }
}

const isPublic = (p: { date: string }, now: Date) => Date.parse(p.date) <= now.getTime();

export interface VisiblePost extends PostRecord {
  /** The visible newer neighbour at request time. */
  next: PostLink | null;
}

/** A post a reader may see now: null when it does not exist, is a draft or is scheduled later. */
export async function getPublicPost(kv: KVNamespace, slug: string, now: Date): Promise<VisiblePost | null> {
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
  kv: KVNamespace,
  listing: ListingRef,
  offset: number,
  limit: number,
  now: Date,
): Promise<ListingPage | null> {
  const first = Math.floor(offset / CHUNK);
  const last = Math.floor((offset + limit - 1) / CHUNK);
  const wanted = first === last ? [listingKey(listing, first)] : [listingKey(listing, first), listingKey(listing, last)];
  const texts = wanted.length === 1 ? new Map([[wanted[0]!, await kv.get(wanted[0]!)]]) : await kv.get(wanted);
  const head = parse<ListingChunk>(texts.get(wanted[0]!), wanted[0]!);
  const tail = wanted[1] ? parse<ListingChunk>(texts.get(wanted[1]), wanted[1]) : null;
  if (!head) {
    // Past the last chunk: the page is empty, but the listing's size still comes from chunk 0.
    if (first === 0) return null;
    const zero = parse<ListingChunk>(await kv.get(listingKey(listing, 0)), listingKey(listing, 0));
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
