import { describe, expect, it } from "vitest";
import { buildSite } from "../../src/core/build";
import { parseIsoDate } from "../../src/core/dates";
import { readingMinutes, renderMarkdown, truncate } from "../../src/core/markdown";
import { tagSlug } from "../../src/core/tags";
import type { PostRecord, PostSource } from "../../src/core/types";
import { MAIN_BLOG } from "../../src/core/blogs";
import { keysFor } from "../../src/core/keys";

const source = (o: Partial<PostSource>): PostSource => ({
  slug: "s",
  title: "T",
  date: "2024-01-01T00:00:00.000Z",
  updated: null,
  author: null,
  tags: [],
  summary: null,
  draft: false,
  markdown: "text",
  ...o,
});

describe("renderMarkdown", () => {
  it("gives headings unique anchors and images lazy loading", () => {
    const { html } = renderMarkdown('## Why it matters\n\n## Why it matters\n\n### Économie & *Zürich*\n\n![Alt "text"](/a.png)');
    expect(html).toContain('<h2 id="why-it-matters">');
    expect(html).toContain('<h2 id="why-it-matters-1">');
    expect(html).toContain('<h3 id="economie-zurich">Économie &amp; <em>Zürich</em></h3>');
    expect(html).toContain('<img src="/a.png" alt="Alt &#34;text&#34;" loading="lazy" decoding="async">');
  });

  it("renders GitHub-flavoured Markdown: tables, fenced code, strikethrough", () => {
    const { html } = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nlet x = 1 < 2;\n```\n\n~~gone~~");
    expect(html).toContain("<table>");
    expect(html).toContain(
      '<code class="hljs language-js"><span class="hljs-keyword">let</span> x = ' +
        '<span class="hljs-number">1</span> &lt; <span class="hljs-number">2</span>;',
    );
    expect(html).toContain("<del>gone</del>");
  });

  it("takes the lead from the first paragraph as plain text", () => {
    const { lead, words } = renderMarkdown("## Heading\n\nA *first* [paragraph](https://x.example) &amp; more.\n\nSecond one.");
    expect(lead).toBe("A first paragraph & more.");
    expect(words).toBe(8);
  });

  it("leaves code in an unknown language escaped and unhighlighted", () => {
    const { html } = renderMarkdown("```klingon\n<qapla'>\n```\n\n```\nplain & simple\n```");
    expect(html).toContain('<pre><code class="language-klingon">&#60;qapla&#39;&#62;\n</code></pre>');
    expect(html).toContain("<pre><code>plain &#38; simple\n</code></pre>");
  });

  it("lists level-2 and level-3 headings for the table of contents", () => {
    const { headings } = renderMarkdown("# Title\n\n## One\n\n### One a\n\n#### Deep\n\n## Two");
    expect(headings).toEqual([
      { id: "one", text: "One", depth: 2 },
      { id: "one-a", text: "One a", depth: 3 },
      { id: "two", text: "Two", depth: 2 },
    ]);
  });
});

describe("truncate and readingMinutes", () => {
  it("cuts at a word boundary with an ellipsis", () => {
    expect(truncate("short")).toBe("short");
    const cut = truncate("word ".repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith("word…")).toBe(true);
  });
  it("rounds reading time to at least a minute", () => {
    expect(readingMinutes(0)).toBe(1);
    expect(readingMinutes(1100)).toBe(5);
  });
});

describe("parseIsoDate", () => {
  it.each([
    ["2022-01-21T14:14:00Z", "2022-01-21T14:14:00.000Z"],
    ["2022-01-21T14:14Z", "2022-01-21T14:14:00.000Z"],
    ["2022-01-21 14:14:00", "2022-01-21T14:14:00.000Z"],
    ["2022-01-21T14:14:00.5-05:30", "2022-01-21T19:44:00.500Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
  ])("parses %s", (text, iso) => expect(parseIsoDate(text)?.toISOString()).toBe(iso));
  it.each(["2023-02-29", "2022-1-2", "2022-01-21T25:00:00Z", "2022-01-21T10:00:00+25:00", "yesterday", ""])("rejects %s", (text) =>
    expect(parseIsoDate(text)).toBeNull(),
  );
});

describe("tagSlug", () => {
  it("makes URL-safe slugs", () => {
    expect(tagSlug("Climate Policy")).toBe("climate-policy");
    expect(tagSlug("Économie")).toBe("economie");
    expect(tagSlug("C++ & Rust!")).toBe("c-rust");
    expect(tagSlug("東京")).toBe("東京");
  });
});

describe("buildSite", () => {
  it("renders at publish time and links each post to its visible neighbours", () => {
    const now = new Date("2024-06-01T00:00:00Z");
    const entries = buildSite(
      keysFor(MAIN_BLOG),
      [
        source({ slug: "a", date: "2024-01-01T00:00:00.000Z", tags: ["X"] }),
        source({ slug: "b", date: "2024-02-01T00:00:00.000Z" }),
        source({ slug: "draft", date: "2024-03-01T00:00:00.000Z", draft: true, tags: ["X"] }),
        source({ slug: "later", date: "2024-07-01T00:00:00.000Z" }),
        source({ slug: "latest", date: "2024-08-01T00:00:00.000Z" }),
      ],
      now,
    );
    const post = (slug: string) => JSON.parse(entries.get(`v1:post:${slug}`)!) as PostRecord;
    expect(post("a").html).toBe("<p>text</p>\n");
    expect(post("a").newer.map((p) => p.slug)).toEqual(["b"]);
    expect(post("b").older?.slug).toBe("a");
    expect(post("b").newer.map((p) => p.slug)).toEqual(["later", "latest"]);
    expect(post("draft")).toMatchObject({ draft: true, older: null, newer: [] });
    const home = JSON.parse(entries.get("v1:list:home:head")!);
    expect(home).toMatchObject({ v: 2, total: 2, start: 0 });
    // Oldest first: a new post only ever appends to the head.
    expect(home.recent.map((p: { slug: string }) => p.slug)).toEqual(["a", "b"]);
    expect(home.scheduled.map((p: { slug: string }) => p.slug)).toEqual(["latest", "later"]);
    const tag = JSON.parse(entries.get("v1:list:tag:x:head")!);
    expect(tag.recent.map((p: { slug: string }) => p.slug)).toEqual(["a"]);
    expect(JSON.stringify(home)).not.toContain("draft");
  });
});
