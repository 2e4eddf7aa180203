import { MAIN_BLOG } from "./blogs";
import { contentValidator, fnv1a } from "./hash";
import { BoundedMap, getOrMake } from "./maps";

/** Shape version of the KV values. Bump when a value's shape changes incompatibly. */
export const PREFIX = "v1:";
/** Posts per listing chunk; every HTML page size divides it. */
export const CHUNK = 100;
/** Keys the post sources are spread over. */
export const SOURCE_CHUNKS = 64;

/** The platform's own keys (not any blog's). */
export const platformKeys = {
  /** A blog's record (settings, domains, state), written by its Blog object: what its subdomain is served from. */
  blog: (name: string) => `platform:blog:${name}`,
  /** The same record under each custom domain, so any host costs one read. */
  domain: (host: string) => `platform:domain:${host}`,
  /** The single registry of every blog written before blogs were found by key; read only by the upgrade. */
  legacyRegistry: "platform:blogs",
  /** Written once every blog's people have left the single Accounts object of earlier versions: the upgrade stops asking it. */
  peopleMoved: "platform:people-moved",
};

/**
 * Where a blog's keys start. The main blog keeps the single-blog layout (`v1:…`), so a
 * deployment published before there were several blogs is read as `main` without a migration;
 * every other blog lives under `blog:<name>:`, which no `v1:` key starts with.
 */
export function blogPrefix(blog: string): string {
  return blog === MAIN_BLOG ? PREFIX : `blog:${blog}:${PREFIX}`;
}

/** Every key of a blog starts with this (what deleting a blog lists and removes). */
export function blogRoot(blog: string): string {
  return blog === MAIN_BLOG ? PREFIX : `blog:${blog}:`;
}

/** The sources key of a slug (FNV-1a). */
export function sourceChunk(slug: string): number {
  return fnv1a(slug) % SOURCE_CHUNKS;
}

/** The KV key layout of one blog in the POSTS namespace. */
export function keysFor(blog: string) {
  const p = blogPrefix(blog);
  return {
    blog,
    prefix: p,
    post: (slug: string) => `${p}post:${slug}`,
    /** The single-blog layout's listing chunks (read only when a listing has no head yet). */
    home: (chunk: number) => `${p}list:home:${chunk}`,
    tag: (slug: string, chunk: number) => `${p}list:tag:${slug}:${chunk}`,
    /** A listing's head and its full blocks counted from the oldest post. */
    listHead: (listing: ListingRef) => `${p}list:${listingName(listing)}:head`,
    listBlock: (listing: ListingRef, block: number) => `${p}list:${listingName(listing)}:o${block}`,
    /** Search: document count and the postings of documents changed since the buckets were last merged. */
    searchDelta: `${p}search:delta`,
    /**
     * The terms the buckets still hold postings of, for documents `npm run publish` put in the delta
     * (their old versions, and removed ones): read only by the editor object, whose merge must
     * rewrite those buckets too. Searches never read it.
     */
    searchStale: `${p}search:stale`,
    /** KV keys written through the editor since the last `npm run publish` (which must not trust its manifest for them). */
    touched: `${p}touched`,
    /** One bucket of the full-text index. */
    search: (bucket: number) => `${p}search:${bucket}`,
    /** Document id → slug, a thousand ids per key. */
    searchDocs: (chunk: number) => `${p}search:docs:${chunk}`,
    /** Every tag with its counts and dates, for the sitemap. */
    tags: `${p}tags`,
    /** Every public page's link (PagesRecord), for the sitemap and the menu. */
    pages: `${p}pages`,
    /** Published comment count of a post, written by its CommentThread. */
    commentCount: (slug: string) => `${p}count:${slug}`,
    /** A post's imported comments (`npm run import`), taken in by its thread when the post is next read. */
    importedComments: (slug: string) => `${p}imported:${slug}`,
    /** The blog's old URLs (`npm run import`) → post slugs, read only by requests that would be a 404. */
    redirects: `${p}redirects`,
    /** The blog's custom CSS (its settings), served in `/blog.css`. */
    customCss: `${p}look:css`,
    /** Post sources (front matter and Markdown) for the editor, hashed into SOURCE_CHUNKS keys. */
    sources: (chunk: number) => `${p}sources:${chunk}`,
    /** Posts saved or deleted through the API or the browser since the last `npm run publish`: slug → { at, deleted }. */
    edited: `${p}edited`,
    /** Changes with every publish: part of every edge cache key. */
    version: `${p}version`,
    /** Images `npm run publish` has uploaded to R2 (their content-hash names), so it uploads each once. */
    mediaUploaded: `${p}media:uploaded`,
    /** The "Most read" list a blog may show (MostRead), written by the cron from the statistics. */
    mostRead: `${p}stats:most-read`,
    /** Written last by `npm run publish`: a hash of every key it wrote, to upload only changes. */
    manifest: `${p}manifest`,
  };
}

export type Keys = ReturnType<typeof keysFor>;

const SOURCES_KEY = new RegExp(`(^|:)${PREFIX}sources:\\d+$`);

/**
 * The KV metadata a key is written with: a sources key carries a hash of its value, so a night's
 * backup (core/backups.ts) lists the 64 keys and reads only those that changed. Every writer of
 * sources keys (the editor object, `npm run publish`) writes it.
 */
export function kvMetadata(key: string, value: string): { h: string } | undefined {
  return SOURCES_KEY.test(key) ? { h: contentValidator(value) } : undefined;
}

/** The kind of value a key holds ("post", "list", "tags", …), whichever blog it belongs to. */
export function keyKind(key: string): string {
  const at = key.indexOf(PREFIX);
  return key.slice(at + PREFIX.length).split(":")[0]!;
}

export type ListingRef = { kind: "home" } | { kind: "tag"; slug: string };

/** A listing's name in KV keys and the editor's tables: `home` or `tag:<slug>`. */
export const listingName = (listing: ListingRef) => (listing.kind === "home" ? "home" : `tag:${listing.slug}`);

export function listingKey(k: Keys, listing: ListingRef, chunk: number): string {
  return listing.kind === "home" ? k.home(chunk) : k.tag(listing.slug, chunk);
}

/** One blog's slice of the POSTS namespace: every read of posts, listings and search goes through it. */
export interface BlogStore {
  name: string;
  kv: KVNamespace;
  keys: Keys;
  /**
   * How long (ms) what pages are made of (post records, listing heads, comment counts) may be
   * held by the isolate before KV is read again: a request's store holds them as long as the page
   * cache keeps pages; scripts and Durable Objects read KV every time (0).
   */
  holdMs: number;
}

/** Each namespace's blog stores, made once per blog name (a request takes its blog's from here). */
const stores = new WeakMap<KVNamespace, BoundedMap<string, BlogStore>>();

export function blogStore(kv: KVNamespace, name: string, holdMs = 0): BlogStore {
  const byName = getOrMake(stores, kv, () => new BoundedMap<string, BlogStore>(1000));
  return getOrMake(byName, `${holdMs} ${name}`, () => Object.freeze({ name, kv, keys: Object.freeze(keysFor(name)), holdMs }));
}
