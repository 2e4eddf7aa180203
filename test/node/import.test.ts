import { renderPost } from "../../src/core/build";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addImports, parseImportedComments, parseRedirects } from "../../src/core/imports";
import { keysFor } from "../../src/core/keys";
import { buildSite } from "../../src/core/build";
import { htmlToMarkdown } from "../../scripts/import/html";
import { lexicalToHtml, mobiledocToHtml } from "../../scripts/import/ghost";
import { readWxr } from "../../scripts/import/wxr";
import { parseCli, runImport } from "../../scripts/import";
import { importSubscribers } from "../../scripts/import/subscribers";
import { loadImports, loadPosts } from "../../scripts/lib/load";
import { localImages } from "../../scripts/lib/media";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GIF, JPEG, PNG } from "../fixtures/images";

const FIXTURES = resolve("test/fixtures/import");
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-import-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the import into a fresh folder; answers the exit code, the output and the folder. */
async function importInto(source: string, name: string, extra: { dryRun?: boolean; media?: boolean } = {}) {
  const lines: string[] = [];
  const postsDir = join(work, name);
  const code = await runImport({
    file: source,
    postsDir,
    blog: "main",
    dryRun: extra.dryRun ?? false,
    // The fixtures' images are on hosts that do not exist: only the media test downloads.
    noMedia: !extra.media,
    media: { concurrency: 3, timeoutMs: 500 },
    log: (l) => lines.push(l),
  });
  return { code, output: lines.join("\n"), postsDir };
}

const read = (dir: string, file: string) => readFile(join(dir, file), "utf8");

describe("npm run import -- wordpress.xml", () => {
  it("writes the posts, pages, drafts and scheduled posts that publish accepts, and reports what it skipped", async () => {
    const { code, output, postsDir } = await importInto(join(FIXTURES, "wordpress.xml"), "wxr");
    expect(code, output).toBe(0);
    const loaded = await loadPosts(postsDir);
    expect(loaded.errors).toEqual([]);
    const bySlug = new Map(loaded.posts.map((p) => [p.slug, p]));
    expect([...bySlug.keys()].sort()).toEqual([
      "109",
      "a-propos",
      "coming-soon",
      "hello-world",
      "hello-world-2",
      "mon-article",
      "notes-for-later",
    ]);
    // WordPress titles are HTML: "Notes <em>for</em> <b>lat<sup>er</sup></b>" is read as its text.
    expect(bySlug.get("notes-for-later")!.title).toBe("Notes for later");
    const hello = bySlug.get("hello-world")!;
    expect(hello).toMatchObject({
      title: "Hello, world & déjà vu",
      date: "2022-01-21T14:14:00.000Z",
      author: "Claire Dupré",
      tags: ["Voyages", "Été"],
      draft: false,
    });
    expect(hello.summary).toBe("A first post, with accents: déjà vu.");
    expect(hello.markdown).toContain("First paragraph with **bold** & an [link](https://example.com/).");
    expect(hello.markdown).toContain("Second paragraph: café, naïve, Zürich — “quotes”.  \nA line break inside it.");
    expect(hello.markdown).toContain("## A heading\n\n- one\n- two");
    // The featured image is the post's cover, not an image pasted at the top of its text.
    expect(hello.cover).toBe("https://carnets.example.org/wp-content/uploads/2022/01/plage.jpg");
    expect(hello.markdown).not.toContain("plage.jpg");
    // WordPress's page is a page here (at /pages/a-propos), not a post tagged "page".
    expect(bySlug.get("a-propos")).toMatchObject({ type: "page", tags: [] });
    expect(bySlug.get("hello-world")!.type).toBeUndefined();
    expect(bySlug.get("notes-for-later")!.draft).toBe(true);
    expect(bySlug.get("coming-soon")).toMatchObject({ draft: false, date: "2099-01-01T09:00:00.000Z" });
    // Videos: YouTube's frame plays through the privacy-enhanced player; any other frame is a link, with a warning.
    const soon = renderPost(bySlug.get("coming-soon")!).html;
    expect(soon).toContain('<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="The trailer"');
    expect(soon).toContain('<a href="https://maps.example.com/embed?pb=route">');
    expect(output).toContain("the embedded frame https://maps.example.com/embed?pb=route is shown as a link");
    expect(output).not.toContain("the embedded frame https://www.youtube.com");
    expect(bySlug.get("109")!.title).toBe("Untitled post 109");
    expect(bySlug.get("mon-article")!.markdown).toMatch(/\| Ville \| Km +\|\n\| --- \| ---: \|\n\| Lyon \| 465 \|/);
    expect(bySlug.get("mon-article")!.markdown).toContain('<iframe src="https://www.youtube-nocookie.com/embed/xyz"');

    expect(output).toMatch(/posts +6 \(1 draft\(s\), 1 scheduled\)/);
    expect(output).toMatch(/pages +1/);
    // WordPress's menu, its links followed to their new addresses, in its order; what cannot be a link is said.
    expect(await read(postsDir, "menu.txt")).toContain(
      ["Accueil | /", "À propos | /pages/a-propos", "Nos voyages | /tags/voyages", "Mastodon | https://social.example/@carnets"].join("\n"),
    );
    expect(output).toMatch(/menu +4 link\(s\) in menu\.txt: paste them into Settings → Menu/);
    expect(output).toContain("“Le premier”: in a sub-menu");
    expect(output).toContain("“Vieux lien”: its address cannot be a link");
    expect(output).toMatch(/comments +4 approved, on 1 post\(s\)/);
    expect(output).toContain("post 105 “My diary”: private");
    expect(output).toContain("post 106 “Members only”: password-protected");
    expect(output).toContain("1 comment(s): not approved");
    expect(output).toContain("1 pingback(s)/trackback(s): not comments");
    expect(output).toContain('the slug "hello-world" is taken by another post; written as "hello-world-2"');
    expect(output).toContain("kept as raw HTML: <iframe>");
  });

  it("writes the approved comments with their threads, authors, dates and safe URLs", async () => {
    const { postsDir } = await importInto(join(FIXTURES, "wordpress.xml"), "wxr-comments");
    const { comments, problems } = parseImportedComments(await read(postsDir, "comments/hello-world.json"));
    expect(problems).toEqual([]);
    expect(comments.map((c) => [c.id, c.parent, c.author, c.url, c.date])).toEqual([
      ["wxr-101-11", null, "Aïcha", "https://aicha.example.net/", "2022-01-21T15:00:00.000Z"],
      ["wxr-101-12", "wxr-101-11", "Claire Dupré", null, "2022-01-21T17:30:00.000Z"],
      ["wxr-101-13", "wxr-101-12", "Aïcha", null, "2022-01-22T08:00:00.000Z"],
      ["wxr-101-16", null, "Bob", null, "2022-01-24T10:00:00.000Z"],
    ]);
    expect(comments[0]!.markdown).toBe("Lovely post! *Merci*.  \nSee you in Zürich.");
    expect(comments[1]!.markdown).toBe("Thank you, Aïcha & see you there.");
    expect(comments[2]!.markdown).toBe("A reply to the reply.");
    expect((await readdir(join(postsDir, "comments"))).sort()).toEqual(["hello-world.json"]);
  });

  it("writes the old URLs: links, ?p= and ?page_id= ids, Overblog's .html addresses", async () => {
    const { postsDir } = await importInto(join(FIXTURES, "wordpress.xml"), "wxr-redirects");
    const { redirects, problems } = parseRedirects(await read(postsDir, "redirects.txt"));
    expect(problems).toEqual([]);
    expect(redirects.get("/2022/01/21/hello-world")).toBe("hello-world");
    expect(redirects.get("/?p=101")).toBe("hello-world");
    expect(redirects.get("/?page_id=2")).toBe("a-propos");
    expect(redirects.get("/a-propos")).toBe("a-propos");
    expect(redirects.get("/2022/01/mon-article.html")).toBe("mon-article");
    expect(redirects.get("/2022/02/10/hello-world-2")).toBe("hello-world-2");
    expect(redirects.has("/2022/02/01/my-diary")).toBe(false);
  });

  it("is safe to run again: nothing is duplicated, and a changed post is updated", async () => {
    const first = await importInto(join(FIXTURES, "wordpress.xml"), "wxr-again");
    const before = (await readdir(first.postsDir)).sort();
    const again = await importInto(join(FIXTURES, "wordpress.xml"), "wxr-again");
    expect(again.output).toMatch(/files +0 created, 0 updated, 7 unchanged/);
    expect((await readdir(first.postsDir)).sort()).toEqual(before);

    const changed = join(work, "changed.xml");
    await writeFile(
      changed,
      (await readFile(join(FIXTURES, "wordpress.xml"), "utf8")).replace("An unfinished draft.", "A finished draft."),
    );
    const third = await importInto(changed, "wxr-again");
    expect(third.output).toMatch(/files +0 created, 1 updated, 6 unchanged/);
    expect(await read(first.postsDir, "notes-for-later.md")).toContain("A finished draft.");
    expect(parseRedirects(await read(first.postsDir, "redirects.txt")).redirects.size).toBe(13);
  });

  it("writes nothing on a dry run", async () => {
    const { code, output, postsDir } = await importInto(join(FIXTURES, "wordpress.xml"), "wxr-dry", { dryRun: true });
    expect(code).toBe(0);
    expect(output).toMatch(/files +7 created.*dry run: none written/);
    expect(await readdir(postsDir).catch(() => null)).toBeNull();
  });
});

describe("npm run import with bad input", () => {
  it("names the line of a truncated export and writes nothing", async () => {
    const xml = await readFile(join(FIXTURES, "wordpress.xml"), "utf8");
    const truncated = join(work, "truncated.xml");
    await writeFile(truncated, xml.slice(0, Math.floor(xml.length / 2)));
    const { code, output, postsDir } = await importInto(truncated, "bad-1");
    expect(code).toBe(1);
    expect(output).toMatch(/not well-formed XML at line \d+, column \d+/);
    expect(output).toContain("Nothing was written.");
    expect(await readdir(postsDir).catch(() => null)).toBeNull();
  });

  it("refuses files of no known format, JSON that is not Ghost's, XML that is not WXR, and a missing file", async () => {
    const cases: [string, string, RegExp][] = [
      ["notes.txt", "just some text", /unknown format/],
      ["other.json", '{"posts": []}', /not a Ghost export/],
      ["broken.json", '{"db": [', /not valid JSON/],
      ["feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', /not a WordPress or Overblog export/],
    ];
    for (const [name, text, message] of cases) {
      await writeFile(join(work, name), text);
      const { code, output } = await importInto(join(work, name), `bad-${name}`);
      expect(code, name).toBe(1);
      expect(output, name).toMatch(message);
    }
    expect((await importInto(join(work, "missing.xml"), "bad-missing")).output).toMatch(/no such file or folder/);
  });

  it("parses FILE, --posts, --blog and --dry-run, and refuses no FILE or a bad blog name", () => {
    expect(parseCli(["export.xml", "--blog", "alpha", "--posts", "p", "--dry-run"])).toMatchObject({
      file: resolve("export.xml"),
      blog: "alpha",
      postsDir: resolve("p"),
      dryRun: true,
    });
    expect(parseCli(["--help"])).toBe("help");
    expect(() => parseCli([])).toThrow(/FILE is missing/);
    expect(() => parseCli(["x.xml", "--blog", "No!"])).toThrow(/not a blog name/);
  });

  it("parses a subscriber list's options (--subscribers) and refuses mixing them with the posts'", () => {
    expect(
      parseCli(["list.csv", "--subscribers", "--consented", "--skip-bad-rows", "--blog", "alpha", "--url", "https://alpha.example.org"]),
    ).toMatchObject({
      subscribers: true,
      file: resolve("list.csv"),
      blog: "alpha",
      consented: true,
      skipBadRows: true,
      url: "https://alpha.example.org",
    });
    expect(parseCli(["list.csv", "--subscribers"])).toMatchObject({ consented: false, skipBadRows: false });
    expect(() => parseCli(["list.csv", "--subscribers", "--url", "alpha"])).toThrow(/not an address/);
    expect(() => parseCli(["list.csv", "--subscribers", "--posts", "p"])).toThrow(/not with --subscribers/);
    expect(() => parseCli(["export.xml", "--consented"])).toThrow(/for a subscriber list/);
  });

  it("reads a subscriber list before sending it, naming a bad row by file and line (--dry-run sends nothing)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "subscribers-"));
    try {
      const file = join(dir, "ghost.csv");
      await writeFile(file, "id,email,subscribed_to_emails\n1,ada@example.org,true\n2,,true\n3,dan@example.org,false\n");
      const lines: string[] = [];
      const base = { file, blog: "main", consented: false, dryRun: true, root: dir, log: (l: string) => lines.push(l) };
      expect(await importSubscribers({ ...base, skipBadRows: false })).toBe(1);
      expect(lines).toContain(`  ${file}: line 3: no email address`);
      lines.length = 0;
      expect(await importSubscribers({ ...base, skipBadRows: true })).toBe(0);
      expect(lines.join("\n")).toContain('1 address(es) in the column "email", 1 row(s) the export marks as unsubscribed left out');
      expect(lines).toContain("--dry-run: nothing was sent to the blog.");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads entities and CDATA, and gives posts without a title or slug one", () => {
    const result =
      readWxr(`<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
      <item><title>Fish &amp; chips &#8211; &lt;3</title><content:encoded><![CDATA[<p>A &amp; B &nbsp;é</p>]]></content:encoded>
      <wp:post_id>7</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:post_name></wp:post_name></item>
      <item><content:encoded>x</content:encoded><wp:post_id>8</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
    </channel></rss>`);
    expect(result.posts[0]!.source).toMatchObject({ title: "Fish & chips – <3", slug: "fish-chips-3" });
    expect(result.posts[0]!.source.markdown).toMatch(/^A & B\s+é$/);
    expect(result.skipped).toEqual([{ item: "post 8", reason: "no date" }]);
  });
});

describe("npm run import -- ghost.json", () => {
  it("reads posts and pages from html, lexical and mobiledoc, with tags and authors, and skips members-only posts", async () => {
    const { code, output, postsDir } = await importInto(join(FIXTURES, "ghost.json"), "ghost");
    expect(code, output).toBe(0);
    const { posts, errors } = await loadPosts(postsDir);
    expect(errors).toEqual([]);
    const bySlug = new Map(posts.map((p) => [p.slug, p]));
    expect([...bySlug.keys()].sort()).toEqual(["draft-in-ghost", "ghost-and-html", "lexical-only", "old-page"]);
    // Ghost's title is HTML ("<em>Ghost</em> &amp; <b>HTML</b>"): readers get its text.
    expect(bySlug.get("ghost-and-html")).toMatchObject({
      title: "Ghost & HTML",
      author: "Gus Ghost",
      tags: ["Lakes", "Boats"],
      summary: "The HTML one.",
    });
    expect(bySlug.get("ghost-and-html")!.markdown).toContain("Hello from **Ghost**.\n\n> A quote");
    expect(bySlug.get("lexical-only")!.markdown).toContain("Written in **Lexical** with a [link](https://ghost.org/)");
    expect(bySlug.get("lexical-only")!.markdown).toContain("1. first\n2. *second*");
    expect(bySlug.get("lexical-only")!.markdown).toContain("A **Markdown** card & <kept>");
    expect(bySlug.get("old-page")).toMatchObject({ type: "page", tags: [] });
    expect(bySlug.get("old-page")!.markdown).toContain("```\nlet x = 1 < 2;\n```");
    expect(bySlug.get("draft-in-ghost")!.draft).toBe(true);
    expect(output).toContain("post “Paid”: visible to paid only");
    expect(parseRedirects(await read(postsDir, "redirects.txt")).redirects.get("/lexical-only")).toBe("lexical-only");
  });

  it("renders lexical and mobiledoc text as text, never as HTML", () => {
    const lexical = JSON.stringify({
      root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "<script>x</script>", format: 1 }] }] },
    });
    expect(lexicalToHtml(lexical)).toBe("<p><strong>&lt;script&gt;x&lt;/script&gt;</strong></p>");
    const mobiledoc = JSON.stringify({ markups: [], cards: [], sections: [[1, "p", [[0, [], 0, "<img onerror=x>"]]]] });
    expect(mobiledocToHtml(mobiledoc)).toBe("<p>&lt;img onerror=x&gt;</p>");
  });
});

describe("npm run import -- a Hugo or Jekyll folder", () => {
  it("keeps Hugo's front matter (TOML or YAML), page bundles and aliases", async () => {
    const { code, output, postsDir } = await importInto(join(FIXTURES, "hugo"), "hugo");
    expect(code, output).toBe(0);
    const { posts } = await loadPosts(postsDir);
    const trip = posts.find((p) => p.slug === "first-trip")!;
    expect(trip).toMatchObject({
      title: "First trip",
      date: "2021-05-04T08:00:00.000Z",
      updated: "2021-05-06T08:00:00.000Z",
      tags: ["Europe", "travel", "trains"],
    });
    expect(trip.markdown).toContain("We took the **night train**.");
    expect(posts.find((p) => p.slug === "bundle-post")).toMatchObject({ draft: true, tags: ["bundles"] });
    const { redirects } = parseRedirects(await read(postsDir, "redirects.txt"));
    expect(Object.fromEntries(redirects)).toEqual({
      "/old/first-trip.html": "first-trip",
      "/2021/05/first": "first-trip",
      "/about": "about",
    });
    expect(output).toContain("content/posts/no-date.md: no date");
    expect(output).toContain("Hugo shortcodes");
    // A file outside any section, in the menu and without a date, is a page.
    expect(posts.find((p) => p.slug === "about")).toMatchObject({ type: "page", title: "About this blog" });
    expect(trip.type).toBeUndefined();
  });

  it("reads Jekyll's dated file names, drafts and redirect_from, with its default addresses", async () => {
    const { postsDir, output } = await importInto(join(FIXTURES, "jekyll"), "jekyll");
    const { posts } = await loadPosts(postsDir);
    expect(posts.find((p) => p.slug === "jekyll-post")).toMatchObject({
      date: "2020-02-03T00:00:00.000Z",
      tags: ["notes", "ruby", "static"],
    });
    expect(posts.find((p) => p.slug === "unfinished")!.draft).toBe(true);
    const { redirects } = parseRedirects(await read(postsDir, "redirects.txt"));
    expect(Object.fromEntries(redirects)).toEqual({
      "/notes/2020/02/03/jekyll-post.html": "jekyll-post",
      "/notes/old-name": "jekyll-post",
      "/about.html": "about",
    });
    // Jekyll's pages are its files outside _posts/.
    expect(posts.find((p) => p.slug === "about")).toMatchObject({ type: "page" });
    expect(output).not.toContain("about.md: not in _posts/ or _drafts/");
  });
});

describe("html to Markdown", () => {
  it("converts tables with their alignment and keeps what Markdown cannot say as HTML, with a warning", () => {
    const { markdown, warnings } = htmlToMarkdown(
      '<table><thead><tr><th>a</th><th align="right">b</th></tr></thead><tbody><tr><td>1</td><td align="right">2</td></tr></tbody></table><video src="v.mp4"></video><script>alert(1)</script>',
    );
    expect(markdown).toMatch(/\| a +\| b +\|\n\| --- \| ---: \|\n\| 1 +\| 2 +\|/);
    expect(markdown).toContain('<video src="v.mp4"></video>');
    expect(markdown).not.toContain("alert");
    expect(warnings).toEqual(["<script> removed", "kept as raw HTML: <video>"]);
  });
});

describe("npm run publish with imported files", () => {
  it("uploads the comments and old URLs of the posts that exist, and names a broken comments file", async () => {
    const { postsDir } = await importInto(join(FIXTURES, "wordpress.xml"), "wxr-publish");
    const imports = await loadImports(postsDir);
    expect(imports.errors).toEqual([]);
    expect(imports.comments.get("hello-world")).toHaveLength(4);
    const keys = keysFor("main");
    const entries = buildSite(keys, (await loadPosts(postsDir)).posts, new Date());
    expect(addImports(keys, entries, imports)).toEqual([]);
    expect(JSON.parse(entries.get(keys.post("hello-world"))!).imported).toMatch(/^[0-9a-z]+\.[0-9a-z]+$/);
    expect(JSON.parse(entries.get(keys.redirects)!).paths["/?p=101"]).toBe("hello-world");

    const broken = join(work, "broken-posts");
    await cp(postsDir, broken, { recursive: true });
    await writeFile(join(broken, "comments", "hello-world.json"), '{"comments": [');
    await writeFile(join(broken, "redirects.txt"), "/ok hello-world\nnot-a-path hello-world\n/x Not_A_Slug\n");
    const bad = await loadImports(broken, work);
    expect(bad.errors.map((e) => `${e.file}: ${e.field}`)).toEqual([
      "broken-posts/comments/hello-world.json: file",
      "broken-posts/redirects.txt: line 2",
      "broken-posts/redirects.txt: line 3",
    ]);
  });

  it("leaves out a comment that cannot be used, naming it", () => {
    const { comments, problems } = parseImportedComments(
      JSON.stringify({
        v: 1,
        comments: [
          { id: "a", date: "2020-01-01T00:00:00Z", markdown: "ok" },
          { id: "b", date: "yesterday", markdown: "x" },
          { id: "c", parent: "zz", date: "2020-01-02T00:00:00Z", markdown: "orphan" },
        ],
      }),
    );
    expect(comments.map((c) => [c.id, c.parent])).toEqual([
      ["a", null],
      ["c", null],
    ]);
    expect(problems.map((p) => p.field)).toEqual(["comments[1].date", "comment c.parent"]);
  });
});

describe("npm run import: the posts' images", () => {
  let server: Server;
  let origin = "";
  const asked: string[] = [];
  const FILES: Record<string, Uint8Array> = {
    "/wp-content/uploads/2022/01/harbour.jpg": JPEG,
    "/wp-content/uploads/2022/01/harbour-300x200.jpg": JPEG,
    "/wp-content/uploads/2022/01/map.png": PNG,
    "/wp-content/uploads/2022/01/map-150x150.png": PNG,
    "/wp-content/uploads/2022/01/cover.gif": GIF,
    "/wp-content/uploads/2022/01/fake.png": new TextEncoder().encode("not an image"),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? "");
      if (req.url === "/wp-content/uploads/2022/01/slow.png") return; // never answers
      const body = FILES[req.url ?? ""];
      res.writeHead(body ? 200 : 404, { "Content-Type": body ? "application/octet-stream" : "text/plain" });
      res.end(body ?? "not found");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** A WordPress export whose post shows images of the old site: srcset, a linked thumbnail, a featured image, a gallery block, failures. */
  const wxr = () => `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><link>${origin}</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>${origin}</wp:base_site_url>
<item><title>Harbour</title><link>${origin}/2022/01/21/harbour/</link><dc:creator><![CDATA[a]]></dc:creator>
<content:encoded><![CDATA[<p>Before.</p>
<img src="${origin}/wp-content/uploads/2022/01/harbour-300x200.jpg" srcset="${origin}/wp-content/uploads/2022/01/harbour-300x200.jpg 300w, ${origin}/wp-content/uploads/2022/01/harbour-1024x683.jpg 1024w" alt="The harbour">
<p><a href="${origin}/wp-content/uploads/2022/01/map.png"><img src="${origin}/wp-content/uploads/2022/01/map-150x150.png" alt="Map"></a></p>
<figure class="wp-block-gallery"><img src="${origin}/wp-content/uploads/2022/01/missing.png" alt="Gone"><img src="${origin}/wp-content/uploads/2022/01/slow.png" alt="Slow"><img src="${origin}/wp-content/uploads/2022/01/fake.png" alt="Fake"></figure>
<p>After.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date><![CDATA[2022-01-21 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2022-01-21 10:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[harbour]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta>
</item>
<item><title>cover</title><wp:post_id>9</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status>
<wp:attachment_url><![CDATA[${origin}/wp-content/uploads/2022/01/cover.gif]]></wp:attachment_url></item>
</channel></rss>`;

  it("downloads them at their largest size into posts/images/, rewrites the links, keeps the old link of each failure, and resumes", async () => {
    const file = join(work, "with-images.xml");
    await writeFile(file, wxr());
    const first = await importInto(file, "wxr-media", { media: true });
    expect(first.code, first.output).toBe(0);
    const images = (await readdir(join(first.postsDir, "images"))).sort();
    expect(images).toHaveLength(3);
    const markdown = await read(first.postsDir, "harbour.md");
    // The originals, not WordPress's resized copies; the thumbnail linking to its full size is the full size.
    expect(asked).toContain("/wp-content/uploads/2022/01/harbour.jpg");
    expect(asked).not.toContain("/wp-content/uploads/2022/01/harbour-1024x683.jpg");
    for (const name of images) expect(markdown).toContain(`images/${name}`);
    expect(markdown).not.toContain("harbour-300x200.jpg");
    expect(markdown).not.toContain("map-150x150.png");
    expect(markdown).not.toContain("srcset");
    // Each failure keeps its old link and is named with its address and why.
    for (const [name, why] of [
      ["missing.png", "answered 404"],
      ["slow.png", "no answer in time"],
      ["fake.png", "not a PNG, JPEG, WebP, AVIF or GIF image"],
    ]) {
      expect(markdown).toContain(`${origin}/wp-content/uploads/2022/01/${name}`);
      expect(first.output).toMatch(new RegExp(`${name}: [^\\n]*${why}[^\\n]*; the post keeps this link to the old site`));
    }
    expect(first.output).toContain("images     3 downloaded, 0 already in images/, 3 failed");
    // What publish will upload: every downloaded image is a real image next to the posts.
    const loaded = await loadPosts(first.postsDir);
    const { errors, images: local } = await localImages(first.postsDir, loaded.posts, first.postsDir);
    expect(errors).toEqual([]);
    expect(local.size).toBe(3);

    // Again: nothing downloaded twice, the same files.
    const before = asked.length;
    const again = await importInto(file, "wxr-media", { media: true });
    expect(again.output).toContain("images     0 downloaded, 3 already in images/, 3 failed");
    expect(asked.slice(before).filter((u) => !/missing|slow|fake/.test(u))).toEqual([]);
    expect((await readdir(join(again.postsDir, "images"))).sort()).toEqual(images);
  });

  it("keeps every image on the old site with --no-media", async () => {
    const file = join(work, "with-images-2.xml");
    await writeFile(file, wxr());
    const { code, postsDir, output } = await importInto(file, "wxr-no-media");
    expect(code).toBe(0);
    expect(await read(postsDir, "harbour.md")).toContain(`${origin}/wp-content/uploads/2022/01/harbour-300x200.jpg`);
    expect(output).toContain("images     left on the old site (--no-media)");
    expect(parseCli(["x.xml", "--no-media"])).toMatchObject({ noMedia: true });
  });
});
