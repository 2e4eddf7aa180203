/**
 * `npm run publish` without rebuilding the whole blog: what the last publish wrote is known by
 * its inputs (`Built`, kept in .cache/publish), so a key whose inputs did not change is neither
 * made, nor serialised, nor hashed again — the manifest's hash stands for it. The search index is
 * not rebuilt for a few changed posts either: they go into the search delta, which queries read
 * with the buckets (as the browser editor's saves do), until enough of them call for a full
 * rebuild of the buckets.
 *
 * Every value this makes is the one `buildSite` makes for the same posts, except the search keys,
 * which answer the same queries (test/node/incremental.test.ts compares both).
 */
// Code blocks are highlighted in Node by highlight.js (the worker asks the federation worker).
import "../../src/core/highlight";
import { byDateDesc, isListed, listingsAndTags, neighbours, pagesEntry, searchDoc, sourceEntry, toSummary } from "../../src/core/build";
import { type Keys, sourceChunk } from "../../src/core/keys";
import { getOrMake } from "../../src/core/maps";
import { hashValue } from "../../src/core/plan";
import {
  buildSearchIndex,
  DOCS_PER_CHUNK,
  docTerms,
  minutes,
  type DocsChunk,
  type SearchDelta,
  type SearchStale,
} from "../../src/core/search";
import type { PostRecord, PostSource, SourceRecord, SourcesChunk } from "../../src/core/types";

type Rendered = Omit<PostRecord, "older" | "newer">;

/** The search index as the last publish left it in KV. */
export interface SearchState {
  /** Document id → slug (null: removed), as the docs keys hold it. */
  slugs: (string | null)[];
  /** Slug → the source hash its live postings (buckets or delta) were made from. */
  made: Record<string, string>;
  /** Document id → the source hash its postings in the buckets were made from (at the last rebuild). */
  base: Record<string, string>;
  delta: SearchDelta;
  /** The bucket numbers that have a key. */
  buckets: number[];
}

/** What a publish leaves for the next one to build on (valid only while the blog's manifest is the one it wrote). */
export interface Built {
  /** Post and sources keys → a hash of what their value is made from. */
  inputs: Record<string, string>;
  search: SearchState;
}

export interface BuildResult {
  /** Keys made by this build, with their values. */
  entries: Map<string, string>;
  /** Keys whose value is the one the manifest already has (not made again). */
  kept: Set<string>;
  built: Built;
  /** How the search index was brought up to date. */
  search: "rebuilt" | "delta";
}

/** A delta larger than this is merged into the buckets by rebuilding them (as the editor object merges at 32). */
export const DELTA_DOCS = 32;
export const DELTA_DEAD = 256;

export const sourceHash = (source: PostSource | SourceRecord) => hashValue(JSON.stringify(source));

export interface Renderer {
  render: (s: PostSource) => Rendered;
  /** The rendered post without its HTML (all that listings need). */
  summary: (s: PostSource) => Omit<Rendered, "html" | "toc">;
  /** A post rendered before, by its source's hash (`sourceHash`), if still known. */
  byHash: (hash: string) => Rendered | undefined;
}

/**
 * Builds the blog's keys from `sources`. `previous` (what the last publish left, when the
 * manifest is still its own and nothing else wrote since) lets unchanged keys be kept: `canKeep`
 * says whether KV still holds the manifest's value for a key.
 */
export function buildIncremental(
  keys: Keys,
  sources: (PostSource | SourceRecord)[],
  now: Date,
  { render, summary: summaryOf, byHash }: Renderer,
  previous: Built | null,
  canKeep: (key: string) => boolean,
  /** The imported comments' marks, by slug (`importEntries`). */
  marks: ReadonlyMap<string, string> = new Map(),
): BuildResult {
  const nowIso = now.toISOString();
  const hashes = new Map(sources.map((s) => [s.slug, sourceHash(s)]));
  // Summaries carry everything listings, links and sources keys need; only keys made again need the HTML.
  const summaries = sources.map(summaryOf);
  const bySlug = new Map(sources.map((s) => [s.slug, s]));
  const entries = new Map<string, string>();
  const kept = new Set<string>();
  const inputs: Record<string, string> = {};
  const keep = (key: string, input: string) => {
    inputs[key] = input;
    if (previous && previous.inputs[key] === input && canKeep(key)) {
      kept.add(key);
      return true;
    }
    return false;
  };

  /** A post's key, made again when its source, its neighbours or its imported comments changed (a draft has no neighbours). */
  const postKey = (slug: string, links: Pick<PostRecord, "older" | "newer">) => {
    const key = keys.post(slug);
    const mark = marks.get(slug);
    if (keep(key, `${hashes.get(slug)}|${JSON.stringify(links)}|${mark ?? ""}`)) return;
    const record: PostRecord = { ...render(bySlug.get(slug)!), ...links };
    entries.set(key, JSON.stringify(mark ? { ...record, imported: mark } : record));
  };
  const listed = summaries.filter(isListed).sort(byDateDesc);
  for (const post of summaries.filter((p) => !isListed(p))) postKey(post.slug, { older: null, newer: [] });
  const links = neighbours(listed, nowIso);
  for (const [i, post] of listed.entries()) postKey(post.slug, links[i]!);

  for (const [key, value] of listingsAndTags(keys, listed.map(toSummary), nowIso)) entries.set(key, value);
  entries.set(keys.pages, pagesEntry(summaries));

  // Sources keys: one per chunk of slugs, made again when one of its posts changed.
  const chunkSlugs = new Map<number, string[]>();
  for (const slug of [...bySlug.keys()].sort((a, b) => a.localeCompare(b))) getOrMake(chunkSlugs, sourceChunk(slug), () => []).push(slug);
  const derived = new Map(summaries.map((r) => [r.slug, { summary: r.summary, readingTime: r.readingTime }]));
  for (const [n, slugs] of chunkSlugs) {
    const key = keys.sources(n);
    if (keep(key, hashValue(slugs.map((slug) => `${slug}:${hashes.get(slug)}`).join("\n")))) continue;
    const chunk: SourcesChunk = { v: 1, posts: {} };
    for (const slug of slugs) chunk.posts[slug] = sourceEntry(bySlug.get(slug)!, derived.get(slug));
    entries.set(key, JSON.stringify(chunk));
  }

  const searchKeys = [keys.searchDelta, ...(previous?.search.buckets ?? []).map((b) => keys.search(b))];
  const delta = previous && searchKeys.every(canKeep) ? searchDelta(previous.search, listed, hashes, render, byHash, bySlug) : null;
  let search: SearchState;
  if (delta) {
    search = delta.state;
    for (const b of search.buckets) kept.add(keys.search(b));
    entries.set(keys.searchDelta, JSON.stringify(search.delta));
    if (Object.keys(delta.stale.docs).length) entries.set(keys.searchStale, JSON.stringify(delta.stale));
  } else {
    const index = buildSearchIndex(listed.map((p) => searchDoc(render(bySlug.get(p.slug)!))));
    for (const [bucket, value] of index.buckets) entries.set(keys.search(bucket), JSON.stringify(value));
    entries.set(keys.searchDelta, JSON.stringify(index.delta));
    const slugs = [...index.docs.values()].flatMap((c) => c.slugs);
    const made = Object.fromEntries(slugs.flatMap((slug) => (slug ? [[slug, hashes.get(slug)!]] : [])));
    search = {
      slugs,
      made,
      base: Object.fromEntries(slugs.flatMap((slug, id) => (slug ? [[String(id), hashes.get(slug)!]] : []))),
      delta: index.delta,
      buckets: [...index.buckets.keys()].sort((a, b) => a - b),
    };
  }
  for (let i = 0; i < search.slugs.length; i += DOCS_PER_CHUNK) {
    const chunk: DocsChunk = { v: 1, slugs: search.slugs.slice(i, i + DOCS_PER_CHUNK) };
    entries.set(keys.searchDocs(i / DOCS_PER_CHUNK), JSON.stringify(chunk));
  }
  return { entries, kept, built: { inputs, search }, search: delta ? "delta" : "rebuilt" };
}

/**
 * The index brought up to date through the delta: a changed post's terms replace its postings, a
 * new one takes the next id, a removed one is dead; `stale` names the terms whose postings of
 * those documents the buckets still hold (for the editor object's merge). Null when the delta
 * would grow past its limits, or an old version is no longer known (the buckets are then rebuilt).
 */
function searchDelta(
  previous: SearchState,
  listed: Omit<Rendered, "html" | "toc">[],
  hashes: Map<string, string>,
  render: (s: PostSource) => Rendered,
  byHash: (hash: string) => Rendered | undefined,
  bySlug: Map<string, PostSource | SourceRecord>,
): { state: SearchState; stale: SearchStale } | null {
  const slugs = [...previous.slugs];
  const made = { ...previous.made };
  const delta: SearchDelta = { v: 1, n: 0, docs: { ...previous.delta.docs }, dead: [...previous.delta.dead] };
  const idOf = new Map<string, number>();
  slugs.forEach((slug, id) => {
    if (slug !== null) idOf.set(slug, id);
  });
  const live = new Set(listed.map((p) => p.slug));
  for (const [slug, id] of idOf) {
    if (live.has(slug)) continue;
    slugs[id] = null;
    delete made[slug];
    delete delta.docs[String(id)];
    if (!delta.dead.includes(id)) delta.dead.push(id);
  }
  // Oldest first, as a full build numbers them, so new posts published together keep their order.
  for (const post of [...listed].reverse()) {
    const hash = hashes.get(post.slug)!;
    if (made[post.slug] === hash) continue;
    let id = idOf.get(post.slug);
    if (id === undefined) {
      id = slugs.length;
      slugs.push(post.slug);
    }
    const doc = searchDoc(render(bySlug.get(post.slug)!));
    delta.docs[String(id)] = { date: minutes(doc.date), terms: Object.fromEntries(docTerms(doc)) };
    made[post.slug] = hash;
  }
  if (Object.keys(delta.docs).length > DELTA_DOCS || delta.dead.length > DELTA_DEAD) return null;
  delta.dead.sort((a, b) => a - b);
  delta.n = live.size;
  // The buckets' postings of every document the delta supersedes: from the version they were built from.
  const stale: SearchStale = { v: 1, docs: {} };
  const superseded = [...Object.keys(delta.docs).map(Number), ...delta.dead];
  for (const id of superseded.sort((a, b) => a - b)) {
    const baseHash = previous.base[String(id)];
    if (!baseHash) continue;
    const old = byHash(baseHash);
    if (!old) return null;
    stale.docs[String(id)] = [...docTerms(searchDoc(old)).keys()].sort();
  }
  return { state: { slugs, made, base: previous.base, delta, buckets: previous.buckets }, stale };
}
