import { afterEach, describe, expect, it } from "vitest";
import { clearKv, DAY, get, getJson, makePost, publish } from "./helpers";

afterEach(clearKv);

const past = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function corpus() {
  return [
    makePost({
      slug: "grid-night",
      title: "Inside the grid control room",
      date: past(3),
      tags: ["Energy"],
      markdown: "The interconnector tripped at dusk. Batteries answered within a second.\n\n## Forecasts\n\nForecasters watch the wind.",
    }),
    makePost({
      slug: "heat-pumps",
      title: "Heat pumps overtake boilers",
      date: past(2),
      tags: ["Energy", "Climate"],
      markdown: "Installers fitted more heat pumps than boilers. The grid copes.",
    }),
    makePost({
      slug: "olive-oil",
      title: "Drought and olive oil",
      date: past(1),
      tags: ["Climate"],
      markdown: "Prices doubled. Growers plant drought-tolerant trees near Zürich? No, in Andalucía.",
    }),
    makePost({ slug: "secret-draft", title: "Secret draft about the grid", date: past(1), draft: true, markdown: "zanzibarword grid" }),
    makePost({
      slug: "future-post",
      title: "Future grid post",
      date: new Date(Date.now() + 10 * DAY).toISOString(),
      tags: ["Energy"],
      markdown: "quixotic grid futureword",
    }),
  ];
}

describe("feeds", () => {
  it.each([
    ["/feed.xml", "application/atom+xml"],
    ["/rss.xml", "application/rss+xml"],
    ["/feed.json", "application/feed+json"],
    ["/tags/energy/feed.xml", "application/atom+xml"],
  ])("%s answers %s with public posts only, full text, absolute URLs", async (path, type) => {
    await publish(corpus());
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
    const body = await res.text();
    expect(body).toContain("https://blog.example/posts/grid-night");
    expect(body).toContain("Batteries answered within a second.");
    expect(body).not.toMatch(/secret-draft|future-post|zanzibarword|futureword/);
  });

  it("keeps the newest 20 posts", async () => {
    await publish(Array.from({ length: 25 }, (_, i) => makePost({ slug: `many-${i}`, date: past(30 - i) })));
    const feed = JSON.parse(await (await get("/feed.json")).text());
    expect(feed.items).toHaveLength(20);
    expect(feed.items[0].id).toBe("https://blog.example/posts/many-24");
  });

  it("answers 404 for the feed of an unknown tag", async () => {
    await publish(corpus());
    expect((await get("/tags/nothing/feed.xml")).status).toBe(404);
  });

  it("are announced in every page's head", async () => {
    await publish(corpus());
    for (const path of ["/", "/posts/grid-night", "/archive", "/tags/energy", "/follow", "/search?q=grid"]) {
      const html = await (await get(path)).text();
      expect(html, path).toContain('<link rel="alternate" type="application/atom+xml" title="The Edge Dispatch (Atom)" href="/feed.xml"/>');
      expect(html, path).toContain('type="application/rss+xml"');
      expect(html, path).toContain('type="application/feed+json"');
    }
    expect(await (await get("/tags/energy")).text()).toContain('href="/tags/energy/feed.xml"');
  });
});

describe("GET /sitemap.xml and /robots.txt", () => {
  it("lists every public post and tag with lastmod, nothing else", async () => {
    await publish(corpus());
    const res = await get("/sitemap.xml");
    expect(res.headers.get("content-type")).toContain("application/xml");
    const xml = await res.text();
    for (const slug of ["grid-night", "heat-pumps", "olive-oil"])
      expect(xml).toMatch(new RegExp(`<loc>https://blog.example/posts/${slug}</loc><lastmod>`));
    for (const tag of ["energy", "climate"]) expect(xml).toContain(`<loc>https://blog.example/tags/${tag}</loc>`);
    expect(xml).not.toMatch(/secret-draft|future-post/);
  });

  it("lists 250 posts across chunks", async () => {
    await publish(Array.from({ length: 250 }, (_, i) => makePost({ slug: `s-${i}`, date: past(300 - i) })));
    const xml = await (await get("/sitemap.xml")).text();
    expect(xml.match(/<loc>https:\/\/blog\.example\/posts\//g)).toHaveLength(250);
  });

  it("robots.txt names the sitemap", async () => {
    const text = await (await get("/robots.txt")).text();
    expect(text).toContain("Sitemap: https://blog.example/sitemap.xml");
    expect(text).toContain("Disallow: /admin");
  });
});

describe("page metadata", () => {
  it("posts carry canonical, Open Graph, Twitter and JSON-LD BlogPosting", async () => {
    await publish(corpus());
    const html = await (await get("/posts/heat-pumps")).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<link rel="canonical" href="https://blog.example/posts/heat-pumps"/>');
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain('<meta property="og:title" content="Heat pumps overtake boilers"/>');
    expect(html).toContain('<meta property="article:tag" content="Climate"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary"/>');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!);
    expect(ld).toMatchObject({
      "@type": "BlogPosting",
      headline: "Heat pumps overtake boilers",
      url: "https://blog.example/posts/heat-pumps",
      keywords: "Energy, Climate",
    });
  });

  it("JSON-LD cannot be broken out of by a title", async () => {
    await publish([makePost({ slug: "breakout", title: "</script><script>alert(1)</script>" })]);
    const html = await (await get("/posts/breakout")).text();
    const block = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toContain("<");
    expect(JSON.parse(block).headline).toBe("</script><script>alert(1)</script>");
  });

  it("long posts get a table of contents linking to heading anchors", async () => {
    const words = "word ".repeat(250);
    await publish([
      makePost({ slug: "long", markdown: `${words}\n\n## First part\n\n${words}\n\n## Second part\n\n### Detail\n\n${words}` }),
    ]);
    const html = await (await get("/posts/long")).text();
    expect(html).toContain('<nav class="toc" aria-labelledby="toc-title">');
    expect(html).toContain('<a href="#second-part">Second part</a>');
    expect(html).toContain('<h2 id="second-part">');
    await publish([makePost({ slug: "short", markdown: "## A\n\n## B\n\n## C" })]);
    expect(await (await get("/posts/short")).text()).not.toContain('class="toc"');
  });
});

describe("search", () => {
  it("finds a word that occurs only in a post body, with a highlighted snippet", async () => {
    await publish(corpus());
    const { res, body } = await getJson("/api/search?q=interconnector");
    expect(res.status).toBe(200);
    expect(body.results.map((r: any) => r.slug)).toEqual(["grid-night"]);
    expect(body.results[0].snippetHtml).toContain("<mark>interconnector</mark>");
    expect(body.results[0].url).toBe("https://blog.example/posts/grid-night");
    const html = await (await get("/search?q=interconnector")).text();
    expect(html).toContain("<mark>interconnector</mark>");
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it("ranks title matches and posts with every word first; folds case, accents and plurals", async () => {
    await publish(corpus());
    const grid = await getJson("/api/search?q=GRID");
    expect(grid.body.results.map((r: any) => r.slug)).toEqual(["grid-night", "heat-pumps"]);
    const both = await getJson("/api/search?q=heat%20grid");
    expect(both.body.results[0].slug).toBe("heat-pumps");
    expect((await getJson("/api/search?q=zurich")).body.results.map((r: any) => r.slug)).toEqual(["olive-oil"]);
    expect((await getJson("/api/search?q=battery")).body.results.map((r: any) => r.slug)).toEqual(["grid-night"]);
    expect((await getJson("/api/search?q=boilerplate")).body.results).toEqual([]);
    expect((await getJson("/api/search?q=batteries")).body.results.map((r: any) => r.slug)).toEqual(["grid-night"]);
    expect((await getJson("/api/search?q=pump")).body.results.map((r: any) => r.slug)).toEqual(["heat-pumps"]);
    expect((await getJson("/api/search?q=climate")).body.results.map((r: any) => r.slug).sort()).toEqual(["heat-pumps", "olive-oil"]);
  });

  it("never finds drafts or scheduled posts", async () => {
    await publish(corpus());
    for (const q of ["zanzibarword", "quixotic", "futureword"]) expect((await getJson(`/api/search?q=${q}`)).body.results).toEqual([]);
  });

  it.each([
    ["", 400],
    ["%20%20", 400],
    ["x".repeat(201), 400],
    ["the%20and%20of", 200],
    ["%3Cscript%3Ealert(1)%3C%2Fscript%3E", 200],
    ["%22%27%3B--", 200],
    ["%F0%9F%94%A5%E2%80%AE", 200],
    ["%ED%A0%80", 200],
    ["a*b?c(d)[e]{f}", 200],
  ])("answers q=%s cleanly with %i", async (q, status) => {
    const { res, body } = await getJson(`/api/search?q=${q}`);
    expect(res.status).toBe(status);
    if (status === 400) expect(body.error.code).toBe("invalid_query");
    else expect(Array.isArray(body.results)).toBe(true);
    const page = await get(`/search?q=${q}`);
    expect(page.status).toBeLessThan(500);
    expect(await page.text()).not.toContain("<script>alert(1)");
  });

  it("shows the form for an empty query and pages results", async () => {
    await publish(Array.from({ length: 23 }, (_, i) => makePost({ slug: `hit-${i}`, date: past(30 - i), markdown: `common term ${i}` })));
    const empty = await get("/search");
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('<search><form class="search-form"');
    const page1 = await getJson("/api/search?q=common");
    expect(page1.body.meta.pagination).toMatchObject({ total: 23, pages: 3, next: 2 });
    const html = await (await get("/search?q=common")).text();
    expect(html).toContain('href="/search?q=common&amp;page=2"');
  });
});
