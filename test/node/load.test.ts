import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadImports, loadPosts, loadPostText } from "../../scripts/lib/load";

const GOOD = `---
title: "A post title"
date: 2022-01-21T14:14:00Z
author: "Name"
tags: [world, diplomacy]
summary: "One or two sentences"
draft: false
updated: 2022-01-22T09:00:00Z
---
Body **text**.
`;

const load = (text: string, slug = "a-post") => loadPostText(`posts/${slug}.md`, slug, text);

describe("loadPostText", () => {
  it("reads every documented front-matter field", () => {
    const { posts, errors, warnings } = load(GOOD);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(posts).toEqual([
      {
        slug: "a-post",
        title: "A post title",
        date: "2022-01-21T14:14:00.000Z",
        updated: "2022-01-22T09:00:00.000Z",
        author: "Name",
        tags: ["world", "diplomacy"],
        summary: "One or two sentences",
        draft: false,
        markdown: "Body **text**.\n",
      },
    ]);
  });

  it("applies defaults for optional fields and converts zones to UTC", () => {
    const { posts } = load("---\ntitle: Short\ndate: 2022-01-21T16:14:00+02:00\n---\nHi");
    expect(posts[0]).toMatchObject({
      date: "2022-01-21T14:14:00.000Z",
      author: null,
      tags: [],
      summary: null,
      draft: false,
      updated: null,
    });
  });

  it("accepts a date without a time, CRLF line endings and a byte-order mark", () => {
    const { posts, errors } = load("\uFEFF---\r\ntitle: Dated\r\ndate: 2022-01-21\r\n---\r\nBody\r\n");
    expect(errors).toEqual([]);
    expect(posts[0]?.date).toBe("2022-01-21T00:00:00.000Z");
  });

  it("keeps non-ASCII and curly quotes intact", () => {
    const { posts } = load("---\ntitle: “Zürich” – 東京\ndate: 2022-01-01\ntags: [Économie]\n---\nÀ bientôt");
    expect(posts[0]).toMatchObject({ title: "“Zürich” – 東京", tags: ["Économie"], markdown: "À bientôt" });
  });

  const bad: [string, string, string, RegExp][] = [
    ["no front matter", "Just text", "front matter", /must start with YAML front matter/],
    ["missing title", "---\ndate: 2022-01-01\n---\n", "title", /title is required/],
    ["empty title", '---\ntitle: "  "\ndate: 2022-01-01\n---\n', "title", /must not be empty/],
    ["title as a list", "---\ntitle: [a, b]\ndate: 2022-01-01\n---\n", "title", /must be text/],
    ["over-long title", `---\ntitle: ${"x".repeat(201)}\ndate: 2022-01-01\n---\n`, "title", /longer than 200/],
    ["missing date", "---\ntitle: T\n---\n", "date", /date is required/],
    ["date in words", "---\ntitle: T\ndate: next Tuesday\n---\n", "date", /not an ISO 8601 date/],
    ["impossible date", "---\ntitle: T\ndate: 2022-02-30\n---\n", "date", /not an ISO 8601 date/],
    ["month 13", "---\ntitle: T\ndate: 2022-13-01T00:00:00Z\n---\n", "date", /not an ISO 8601 date/],
    ["US date", "---\ntitle: T\ndate: 01/21/2022\n---\n", "date", /not an ISO 8601 date/],
    ["date as a number", "---\ntitle: T\ndate: 20220121\n---\n", "date", /must be an ISO 8601 date/],
    ["bad updated", "---\ntitle: T\ndate: 2022-01-01\nupdated: yesterday\n---\n", "updated", /not an ISO 8601 date/],
    ["tags as a mapping", "---\ntitle: T\ndate: 2022-01-01\ntags: {a: 1}\n---\n", "tags", /must be a list/],
    ["a tag that is a mapping", "---\ntitle: T\ndate: 2022-01-01\ntags: [ok, {a: 1}]\n---\n", "tags[1]", /must be text/],
    ["a tag of punctuation", '---\ntitle: T\ndate: 2022-01-01\ntags: ["!!!"]\n---\n', "tags[0]", /no letters or digits/],
    ["draft as text", "---\ntitle: T\ndate: 2022-01-01\ndraft: yes\n---\n", "draft", /true or false/],
    ["author as a number list", "---\ntitle: T\ndate: 2022-01-01\nauthor: [1]\n---\n", "author", /must be text/],
    ["summary too long", `---\ntitle: T\ndate: 2022-01-01\nsummary: ${"s".repeat(501)}\n---\n`, "summary", /longer than 500/],
    ["invalid YAML", '---\ntitle: "unterminated\ndate: 2022-01-01\n---\n', "front matter", /not valid YAML/],
    ["duplicate keys", "---\ntitle: A\ntitle: B\ndate: 2022-01-01\n---\n", "front matter", /not valid YAML/],
    ["a YAML list instead of a mapping", "---\n- a\n- b\n---\n", "front matter", /must be a YAML mapping/],
  ];

  it.each(bad)("rejects %s, naming the file and field", (_, text, field, message) => {
    const { posts, errors } = load(text);
    expect(posts).toEqual([]);
    const error = errors.find((e) => e.field === field);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.file).toBe("posts/a-post.md");
    expect(error!.message).toMatch(message);
  });

  describe("front matter that would run code (gray-matter's ---js engine)", () => {
    const marker = "__edge_blog_pwned";
    const attacks = [
      ["---js", `---js\n{ title: (globalThis.${marker} = "js", "T"), date: "2022-01-01" }\n---\nBody`],
      ["---javascript", `---javascript\n{ title: (globalThis.${marker} = "javascript", "T"), date: "2022-01-01" }\n---\nBody`],
      ["--- js (with a space)", `--- js\n({ title: (globalThis.${marker} = "space", "T"), date: "2022-01-01" })\n---\nBody`],
      ["---coffee", `---coffee\ntitle: "T"\n---\nBody`],
    ];

    it.each(attacks)("refuses %s with a front matter error and runs nothing", (_, text) => {
      const { posts, errors } = load(text);
      expect(posts).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.some((e) => e.field === "front matter" || e.field === "title")).toBe(true);
      expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    });

    it("reads a !!js/function tag as plain text and runs nothing", () => {
      const { posts } = load(`---\ntitle: !!js/function "function () { globalThis.${marker} = 'tag' }"\ndate: 2022-01-01\n---\nBody`);
      expect(posts[0]?.title).toBe(`function () { globalThis.${marker} = 'tag' }`);
      expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    });

    it("says that only YAML is accepted when the first line is not exactly ---", () => {
      const { errors } = load(attacks[0]![1]!);
      expect(errors).toEqual([
        {
          file: "posts/a-post.md",
          field: "front matter",
          message: 'the first line must be exactly "---" (only YAML front matter is accepted), not "---js"',
        },
      ]);
    });
  });

  it.each(["Upper-Case", "under_score", "double--hyphen", "-leading", "x".repeat(101)])("rejects the file name %s.md", (slug) => {
    const { errors } = load(GOOD, slug);
    expect(errors).toContainEqual({ file: `posts/${slug}.md`, field: "slug", message: expect.any(String) });
  });

  it("warns about unknown fields and an empty body without failing", () => {
    const { posts, warnings } = load("---\ntitle: T\ndate: 2022-01-01\ntittle: typo\n---\n");
    expect(posts).toHaveLength(1);
    expect(warnings.map((w) => w.field).sort()).toEqual(["body", "tittle"]);
  });
});

describe("loadPosts", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("collects the errors of every file and skips files that are not Markdown", async () => {
    dir = await mkdtemp(join(tmpdir(), "posts-"));
    await writeFile(join(dir, "good.md"), GOOD);
    await writeFile(join(dir, "no-title.md"), "---\ndate: 2022-01-01\n---\n");
    await writeFile(join(dir, "bad-date.md"), "---\ntitle: T\ndate: soon\n---\n");
    await writeFile(join(dir, "notes.txt"), "not a post");
    const result = await loadPosts(dir, dir);
    expect(result.posts.map((p) => p.slug)).toEqual(["good"]);
    expect(result.errors.map((e) => `${e.file}:${e.field}`).sort()).toEqual(["bad-date.md:date", "no-title.md:title"]);
  });

  it("reports a missing folder", async () => {
    const result = await loadPosts("/nonexistent/posts-folder");
    expect(result.errors[0]?.message).toMatch(/does not exist/);
  });

  it("loads the sample posts of this repository without errors", async () => {
    const result = await loadPosts("posts");
    expect(result.errors).toEqual([]);
    expect(result.posts.length).toBeGreaterThanOrEqual(12);
    expect(result.posts.some((p) => p.draft)).toBe(true);
    expect(result.posts.some((p) => p.date > new Date().toISOString())).toBe(true);
  });
});

describe("loadImports", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** About 7 KB of Markdown, as a real WordPress comment had: headings, a table, quotes. */
  const LONG = [
    "## What I measured",
    "",
    "| year | trips | share |",
    "|---|---|---|",
    ...Array.from({ length: 120 }, (_, i) => `| ${2000 + i} | ${1000 + i * 7} | ${(i / 3).toFixed(1)}% |`),
    "",
    ...Array.from({ length: 50 }, (_, i) => `> Quoted line ${i}: the tram came back to the city and nobody expected it to.`),
    "",
    "The end of a long, careful comment.",
  ].join("\n");

  async function withComments(comments: unknown[]) {
    dir = await mkdtemp(join(tmpdir(), "imports-"));
    await mkdir(join(dir, "comments"));
    await writeFile(join(dir, "comments", "trams.json"), JSON.stringify({ comments }));
    return loadImports(dir, dir);
  }

  it("keeps an imported comment of 7 KB whole (the 5,000-character limit is for new comments)", async () => {
    expect(LONG.length).toBeGreaterThan(5000);
    const loaded = await withComments([{ id: "c1", date: "2022-01-21T14:14:00Z", author: "Reader", markdown: LONG }]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.comments.get("trams")?.[0]?.markdown).toBe(LONG);
  });

  it("stops the publish, naming the file and the entry, for a comment it would have to leave out", async () => {
    const loaded = await withComments([
      { id: "c1", date: "2022-01-21T14:14:00Z", author: "Reader", markdown: "fine" },
      { id: "c2", date: "2022-01-21T15:00:00Z", author: "Reader", markdown: "x".repeat(65 * 1024) },
      { id: "c3", date: "someday", author: "Reader", markdown: "when?" },
    ]);
    expect(loaded.errors.map((e) => `${e.file}: ${e.field}: ${e.message}`)).toEqual([
      "comments/trams.json: comments[1].markdown: is longer than 64 KB; the comment would be left out",
      'comments/trams.json: comments[2].date: "someday" is not an ISO 8601 date; the comment would be left out',
    ]);
    expect(loaded.comments.has("trams")).toBe(false);
  });
});
