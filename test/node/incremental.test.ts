import { describe, expect, it } from "vitest";
import { buildIncremental, type Built, DELTA_DOCS, sourceHash } from "../../scripts/lib/incremental";
import { memoryKv } from "../../scripts/lib/memory-kv";
import { syntheticPosts } from "../../scripts/lib/synthetic";
import { buildSite, renderPost, searchDoc } from "../../src/core/build";
import { addImports, importEntries, type ImportedComment } from "../../src/core/imports";
import { blogStore, keysFor } from "../../src/core/keys";
import { planChanges, type Manifest } from "../../src/core/plan";
import type { PostSource } from "../../src/core/types";
import { searchPosts } from "../../src/data/search";
import { docTerms, type SearchDelta, type SearchStale } from "../../src/core/search";

/**
 * A publish that builds only what changed must leave KV as a publish that builds everything
 * would: the same value in every key but the search index's, and the same answers to searches.
 */
const keys = keysFor("main");
const NOW = new Date("2026-06-01T00:00:00Z");
const isSearch = (key: string) => key.startsWith(`${keys.prefix}search:`);
const comment: ImportedComment = {
  id: "wp-1",
  parent: null,
  author: "Old reader",
  url: null,
  date: "2024-01-01T00:00:00.000Z",
  markdown: "Kept from the old blog.",
};

/** KV as a sequence of publishes leaves it, built the incremental way. */
class Blog {
  kv = new Map<string, string>();
  manifest: Manifest | null = null;
  built: Built | null = null;
  renders = 0;
  lastSearch = "";
  /** Every version rendered so far, by source hash (as the render cache keeps them). */
  seen = new Map<string, ReturnType<typeof renderPost>>();

  publish(posts: PostSource[], imports = new Map<string, ImportedComment[]>()) {
    // As the render cache does: one render per source and publish, however often it is asked for.
    const done = new Map<string, ReturnType<typeof renderPost>>();
    const render = (s: PostSource) => {
      const key = JSON.stringify(s);
      if (!done.has(key)) {
        this.renders++;
        done.set(key, renderPost(s));
        this.seen.set(sourceHash(s), done.get(key)!);
      }
      return done.get(key)!;
    };
    const imported = importEntries(keys, new Set(posts.map((p) => p.slug)), { comments: imports, redirects: new Map() });
    const result = buildIncremental(
      keys,
      posts,
      NOW,
      // Summaries come from what was rendered before, as the render cache gives them without rendering.
      { render, summary: (s) => this.seen.get(sourceHash(s)) ?? render(s), byHash: (hash) => this.seen.get(hash) },
      this.built,
      (k) => Object.hasOwn(this.manifest?.hashes ?? {}, k),
      imported.marks,
    );
    for (const [k, v] of imported.entries) result.entries.set(k, v);
    const plan = planChanges(keys, result.entries, this.manifest, [], result.kept);
    for (const [k, v] of [...plan.posts, ...plan.listings]) this.kv.set(k, v);
    for (const k of plan.deletions) this.kv.delete(k);
    this.manifest = plan.manifest;
    this.built = result.built;
    this.lastSearch = result.search;
    return plan;
  }
}

/** What a full build writes for the same posts. */
function full(posts: PostSource[], imports = new Map<string, ImportedComment[]>()) {
  const entries = buildSite(keys, posts, NOW);
  addImports(keys, entries, { comments: imports, redirects: new Map() });
  return entries;
}

async function search(kv: Map<string, string>, q: string) {
  const { hits, total } = await searchPosts(blogStore(memoryKv(kv).kv, "main"), q, 0, 100, NOW);
  return { total, slugs: hits.map((h) => h.post.slug).sort() };
}

async function expectSame(blog: Blog, posts: PostSource[], queries: string[], imports = new Map<string, ImportedComment[]>()) {
  const want = full(posts, imports);
  const nonSearch = (m: Map<string, string>) => new Map([...m].filter(([k]) => !isSearch(k)));
  expect(nonSearch(blog.kv)).toEqual(nonSearch(want));
  for (const q of queries) expect(await search(blog.kv, q), q).toEqual(await search(want, q));
}

const corpus = () => syntheticPosts(60, 7).map((p, i) => ({ ...p, draft: i === 5, date: i === 59 ? "2026-07-01T00:00:00.000Z" : p.date }));

describe("an incremental publish", () => {
  it("leaves KV as a full build would, through edits, renames of titles, new, removed, dated and drafted posts", async () => {
    const blog = new Blog();
    let posts = corpus();
    const words = (p: PostSource) => p.markdown.split(/\W+/).filter((w) => w.length > 5);
    // Words of the first posts, and of the ones removed and made a draft below (their postings must stop counting).
    const queries = [...new Set([...posts.slice(0, 12), posts[40]!, posts[12]!].flatMap((p) => words(p).slice(0, 2)))];
    blog.publish(posts);
    expect(blog.lastSearch).toBe("rebuilt");
    await expectSame(blog, posts, queries);
    // The versions the buckets were built from, by document id (oldest first, drafts not indexed).
    const base = posts.filter((p) => !p.draft).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.slug < b.slug ? -1 : 1));

    const steps: [string, (ps: PostSource[]) => PostSource[]][] = [
      ["a body changed", (ps) => ps.map((p, i) => (i === 20 ? { ...p, markdown: `${p.markdown}\n\nZanzibarish quokka.` } : p))],
      ["a title changed (its neighbours link to it)", (ps) => ps.map((p, i) => (i === 30 ? { ...p, title: "A new title" } : p))],
      ["a post moved in time", (ps) => ps.map((p, i) => (i === 10 ? { ...p, date: "2025-12-24T10:00:00.000Z" } : p))],
      [
        "a new post, the newest",
        (ps) => [...ps, { ...ps[0]!, slug: "fresh-one", title: "Fresh", date: "2026-05-30T00:00:00.000Z", markdown: "Brandnewword here." }],
      ],
      [
        "a new post in the middle",
        (ps) => [...ps, { ...ps[1]!, slug: "middle-one", title: "Middle", date: "2024-08-01T00:00:00.000Z", markdown: "Middleword." }],
      ],
      ["a post removed", (ps) => ps.filter((_, i) => i !== 40)],
      [
        "a post made a draft, and a draft published",
        (ps) => ps.map((p, i) => (i === 12 ? { ...p, draft: true } : i === 5 ? { ...p, draft: false } : p)),
      ],
      ["tags changed", (ps) => ps.map((p, i) => (i === 25 ? { ...p, tags: ["brand-new-tag"] } : p))],
      [
        "the Zanzibarish line taken out again",
        (ps) => ps.map((p, i) => (i === 20 ? { ...p, markdown: p.markdown.replace("\n\nZanzibarish quokka.", "") } : p)),
      ],
    ];
    for (const [what, change] of steps) {
      posts = change(posts);
      blog.renders = 0;
      const plan = blog.publish(posts);
      expect(blog.lastSearch, what).toBe("delta");
      // Only the changed post is rendered again (with its neighbours when its title or date moved them).
      expect(blog.renders, what).toBeLessThanOrEqual(6);
      expect(plan.posts.length, what).toBeLessThanOrEqual(6);
      await expectSame(blog, posts, [...queries, "zanzibarish", "quokka", "brandnewword", "middleword", "title"]);
      // Every document the delta supersedes names the terms of its postings still in the buckets (the editor's merge rewrites those).
      const delta = JSON.parse(blog.kv.get(keys.searchDelta)!) as SearchDelta;
      const stale = JSON.parse(blog.kv.get(keys.searchStale) ?? '{"docs":{}}') as SearchStale;
      const superseded = [...Object.keys(delta.docs).map(Number), ...delta.dead].filter((id) => base[id]);
      expect(
        Object.keys(stale.docs)
          .map(Number)
          .sort((a, b) => a - b),
        what,
      ).toEqual(superseded.sort((a, b) => a - b));
      for (const id of superseded) expect(stale.docs[id], what).toEqual([...docTerms(searchDoc(renderPost(base[id]!))).keys()].sort());
    }
  });

  it("rebuilds the search buckets once the delta holds too many posts, and then keeps them", async () => {
    const blog = new Blog();
    let posts = corpus();
    blog.publish(posts);
    posts = posts.map((p, i) => (i < DELTA_DOCS + 2 ? { ...p, markdown: `${p.markdown} Extra${i}word.` } : p));
    blog.publish(posts);
    expect(blog.lastSearch).toBe("rebuilt");
    await expectSame(blog, posts, ["extra3word", "extra30word"]);
    expect(JSON.parse(blog.kv.get(keys.searchDelta)!).docs).toEqual({});
  });

  it("marks the posts that have imported comments, and follows a change of those comments", async () => {
    const blog = new Blog();
    const posts = corpus();
    const imports = new Map([[posts[3]!.slug, [comment]]]);
    blog.publish(posts, imports);
    await expectSame(blog, posts, [], imports);
    const more = new Map([[posts[3]!.slug, [comment, { ...comment, id: "wp-2", markdown: "A second one." }]]]);
    const plan = blog.publish(posts, more);
    expect(plan.posts.map(([k]) => k)).toEqual([keys.post(posts[3]!.slug)]);
    await expectSame(blog, posts, [], more);
  });

  it("builds everything when nothing is known of the last publish", async () => {
    const blog = new Blog();
    const posts = corpus();
    blog.publish(posts);
    blog.built = null;
    blog.renders = 0;
    const plan = blog.publish(posts);
    expect(blog.renders).toBe(posts.length);
    expect(plan.posts).toEqual([]);
    expect(plan.listings).toEqual([]);
  });
});
