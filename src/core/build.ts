import { CHUNK, type Keys, sourceChunk, type ListingRef } from "./keys";
import { readingMinutes, type RenderOptions, renderMarkdown, truncate } from "./markdown";
import { buildSearchIndex } from "./search";
import { htmlText } from "./text";
import { tagSlug } from "./tags";
import type {
  ListingBlock,
  ListingHead,
  PagesRecord,
  PostLink,
  PostRecord,
  PostSource,
  PostSummaryRecord,
  SourceRecord,
  SourcesChunk,
  TagRecord,
} from "./types";
import { kindFields } from "./types";

/** Posts this long, with at least three headings, get a table of contents. */
export const TOC_MIN_WORDS = 600;

/**
 * Newest first; equal dates by slug (plain code-unit order, as SQLite's ORDER BY compares them,
 * so the publish script and the editor object order posts alike).
 */
export function byDateDesc(a: { date: string; slug: string }, b: { date: string; slug: string }): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

/** Where a listing's head starts: a multiple of CHUNK leaving CHUNK to 2 × CHUNK − 1 posts in it (all of them when fewer). */
export const headStart = (total: number) => Math.max(0, Math.floor((total - CHUNK) / CHUNK) * CHUNK);

/** Renders one post's Markdown and derives what listings show. */
export function renderPost(source: PostSource, options: RenderOptions = {}): Omit<PostRecord, "older" | "newer"> {
  const { html, headings, lead, words } = renderMarkdown(source.markdown, options);
  return {
    v: 1,
    slug: source.slug,
    title: source.title,
    date: source.date,
    updated: source.updated,
    author: source.author,
    tags: source.tags,
    summary: source.summary ?? truncate(lead),
    readingTime: readingMinutes(words),
    ...(source.cover ? { cover: source.cover } : {}),
    ...kindFields(source),
    draft: source.draft,
    html,
    toc: words >= TOC_MIN_WORDS && headings.length >= 3 ? headings : [],
  };
}

export function toSummary(post: PostSummaryRecord): PostSummaryRecord {
  const { slug, title, date, updated, author, tags, summary, readingTime, cover } = post;
  return { slug, title, date, updated, author, tags, summary, readingTime, ...(cover ? { cover } : {}) };
}

const link = (p: PostLink): PostLink => ({ slug: p.slug, title: p.title, date: p.date });

/** A listing's keys: its head and its full blocks below the head (`posts` newest first, no drafts). */
export function listingEntries(keys: Keys, listing: ListingRef, name: string, posts: PostSummaryRecord[], now: string): [string, string][] {
  const scheduled = posts.filter((p) => p.date > now);
  const published = posts.filter((p) => p.date <= now).reverse();
  const start = headStart(published.length);
  const head: ListingHead = { v: 2, name, total: published.length, start, recent: published.slice(start), scheduled };
  const out: [string, string][] = [[keys.listHead(listing), JSON.stringify(head)]];
  for (let b = 0; b * CHUNK < start; b++) {
    const block: ListingBlock = { v: 2, items: published.slice(b * CHUNK, (b + 1) * CHUNK) };
    out.push([keys.listBlock(listing, b), JSON.stringify(block)]);
  }
  return out;
}

/** Each listed post's neighbours (`listed` newest first): the next older post, and the newer ones up to the first public at `nowIso`. */
export function neighbours(listed: PostLink[], nowIso: string): { older: PostLink | null; newer: PostLink[] }[] {
  return listed.map((_, i) => {
    const newer: PostLink[] = [];
    for (let j = i - 1; j >= 0; j--) {
      const candidate = listed[j]!;
      newer.push(link(candidate));
      if (candidate.date <= nowIso) break;
    }
    const older = listed[i + 1];
    return { older: older ? link(older) : null, newer };
  });
}

/** The home listing, each tag's listing and the tag index, from the public posts' summaries (newest first). */
export function listingsAndTags(keys: Keys, summaries: PostSummaryRecord[], nowIso: string): [string, string][] {
  const out: [string, string][] = listingEntries(keys, { kind: "home" }, "", summaries, nowIso);
  const byTag = new Map<string, { name: string; posts: PostSummaryRecord[] }>();
  for (const post of summaries) {
    for (const name of post.tags) {
      const slug = tagSlug(name);
      const entry = byTag.get(slug) ?? { name, posts: [] };
      entry.posts.push(post);
      byTag.set(slug, entry);
    }
  }
  const tags: TagRecord[] = [];
  for (const [slug, { name, posts }] of byTag) {
    out.push(...listingEntries(keys, { kind: "tag", slug }, name, posts, nowIso));
    const published = posts.filter((p) => p.date <= nowIso);
    const lastmod =
      published
        .map((p) => p.updated ?? p.date)
        .sort()
        .at(-1) ?? null;
    tags.push({ slug, name, published: published.length, lastmod, scheduled: posts.filter((p) => p.date > nowIso).map((p) => p.date) });
  }
  out.push([keys.tags, JSON.stringify({ v: 1, tags: tags.sort((a, b) => a.slug.localeCompare(b.slug)) })]);
  return out;
}

/** What the sources key keeps of a post: its source, where it was written, and what rendering derived from it. */
export function sourceEntry(
  source: PostSource | SourceRecord,
  derived: { summary: string; readingTime: number } | undefined,
): SourceRecord {
  const origin = "origin" in source ? source.origin : "file";
  const editedAt = "editedAt" in source ? source.editedAt : null;
  return { ...toSource(source), origin, editedAt, derived };
}

/** The text the search index is built from. */
export const searchDoc = (p: Omit<PostRecord, "older" | "newer">) => ({
  slug: p.slug,
  date: p.date,
  title: p.title,
  tags: p.tags,
  summary: p.summary,
  body: htmlText(p.html),
});

/**
 * Everything `npm run publish` writes to KV for a set of posts, as key → JSON text:
 * one key per post, and the chunked listings (home and each tag) that pages read.
 * `now` splits public from scheduled posts; the worker re-checks dates at request time.
 */
export function buildSite(
  keys: Keys,
  sources: (PostSource | SourceRecord)[],
  now: Date,
  render: (s: PostSource) => Omit<PostRecord, "older" | "newer"> = renderPost,
): Map<string, string> {
  const nowIso = now.toISOString();
  const rendered = sources.map(render);
  const derived = new Map(rendered.map((r) => [r.slug, { summary: r.summary, readingTime: r.readingTime }]));
  const listed = rendered.filter(isListed).sort(byDateDesc);
  const entries = new Map<string, string>();

  for (const post of rendered.filter((p) => !isListed(p))) {
    entries.set(keys.post(post.slug), JSON.stringify({ ...post, older: null, newer: [] } satisfies PostRecord));
  }
  const links = neighbours(listed, nowIso);
  listed.forEach((post, i) => {
    const record: PostRecord = { ...post, ...links[i]! };
    entries.set(keys.post(post.slug), JSON.stringify(record));
  });

  for (const [key, value] of listingsAndTags(keys, listed.map(toSummary), nowIso)) entries.set(key, value);
  entries.set(keys.pages, pagesEntry(rendered));

  const index = buildSearchIndex(listed.map(searchDoc));
  for (const [bucket, value] of index.buckets) entries.set(keys.search(bucket), JSON.stringify(value));
  for (const [chunk, value] of index.docs) entries.set(keys.searchDocs(chunk), JSON.stringify(value));
  entries.set(keys.searchDelta, JSON.stringify(index.delta));

  for (const [n, chunk] of sourcesChunks(sources, derived)) entries.set(keys.sources(n), JSON.stringify(chunk));
  return entries;
}

/** The sources keys' values, by chunk (each chunk's posts in slug order). */
export function sourcesChunks(
  sources: (PostSource | SourceRecord)[],
  derived: Map<string, { summary: string; readingTime: number }>,
): Map<number, SourcesChunk> {
  const chunks = new Map<number, SourcesChunk>();
  for (const source of [...sources].sort((a, b) => a.slug.localeCompare(b.slug))) {
    const n = sourceChunk(source.slug);
    let chunk = chunks.get(n);
    if (!chunk) {
      chunk = { v: 1, posts: {} };
      chunks.set(n, chunk);
    }
    chunk.posts[source.slug] = sourceEntry(source, derived.get(source.slug));
  }
  return chunks;
}

function toSource(s: PostSource): PostSource {
  const { slug, title, date, updated, author, tags, summary, draft, markdown, cover, type, comments, email } = s;
  return {
    slug,
    title,
    date,
    updated,
    author,
    tags,
    summary,
    draft,
    markdown,
    ...(cover ? { cover } : {}),
    ...kindFields({ type, comments, email }),
  };
}

/** Whether a post goes into listings, tags, search, feeds and neighbours: a public post, not a draft nor a page. */
export const isListed = (p: { draft: boolean; type?: "page" }) => !p.draft && p.type !== "page";

/** The pages key: every public page's link, for the sitemap and the menu (slug order). */
export function pagesEntry(
  rendered: { slug: string; title: string; date: string; updated: string | null; draft: boolean; type?: "page" }[],
) {
  const pages = rendered
    .filter((p) => p.type === "page" && !p.draft)
    .map(({ slug, title, date, updated }) => ({ slug, title, date, updated }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return JSON.stringify({ v: 1, pages } satisfies PagesRecord);
}
