/** KV key layout of the POSTS namespace. Bump the prefix when a value's shape changes incompatibly. */
export const PREFIX = "v1:";
/** Posts per listing chunk; every HTML page size divides it. */
export const CHUNK = 100;
/** Keys the post sources are spread over. */
export const SOURCE_CHUNKS = 64;

/** The sources key of a slug (FNV-1a). */
export function sourceChunk(slug: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < slug.length; i++) h = Math.imul(h ^ slug.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SOURCE_CHUNKS;
}

export const keys = {
  post: (slug: string) => `${PREFIX}post:${slug}`,
  home: (chunk: number) => `${PREFIX}list:home:${chunk}`,
  tag: (slug: string, chunk: number) => `${PREFIX}list:tag:${slug}:${chunk}`,
  /** One bucket of the full-text index. */
  search: (bucket: number) => `${PREFIX}search:${bucket}`,
  /** Document id → slug, a thousand ids per key. */
  searchDocs: (chunk: number) => `${PREFIX}search:docs:${chunk}`,
  /** Every tag with its counts and dates, for the sitemap. */
  tags: `${PREFIX}tags`,
  /** Published comment count of a post, written by its CommentThread. */
  commentCount: (slug: string) => `${PREFIX}count:${slug}`,
  /** Post sources (front matter and Markdown) for the editor, hashed into SOURCE_CHUNKS keys. */
  sources: (chunk: number) => `${PREFIX}sources:${chunk}`,
  /** Posts saved or deleted through the API or the browser since the last `npm run publish`: slug → { at, deleted }. */
  edited: `${PREFIX}edited`,
  /** Changes with every publish: part of every edge cache key. */
  version: `${PREFIX}version`,
  /** Written last by `npm run publish`: a hash of every key it wrote, to upload only changes. */
  manifest: `${PREFIX}manifest`,
};

export type ListingRef = { kind: "home" } | { kind: "tag"; slug: string };

export function listingKey(listing: ListingRef, chunk: number): string {
  return listing.kind === "home" ? keys.home(chunk) : keys.tag(listing.slug, chunk);
}
