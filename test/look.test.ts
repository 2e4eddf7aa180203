import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { accentPalette } from "../src/core/theme";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, get, makePost, publish, request, settingsForm, settingsSession } from "./helpers";

const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const patch = (name: string, body: Record<string, unknown>) =>
  request(`/api/admin/blogs/${name}`, { method: "PATCH", headers: ADMIN, body: JSON.stringify(body) });

const blogCssHref = (html: string) => /<link rel="stylesheet" href="(\/blog\.css\?v=[^"]+)"/.exec(html)?.[1] ?? null;

describe("the look of a blog", () => {
  it("starts with the default theme, its preloaded font and no per-blog stylesheet", async () => {
    await publish([makePost({ slug: "p" })]);
    const html = await (await get("/")).text();
    expect(html).toContain('<link rel="stylesheet" href="/themes/default.css"/>');
    expect(html).toContain(
      '<link rel="preload" href="/fonts/source-serif-4-latin-wght-normal.woff2" as="font" type="font/woff2" crossorigin="anonymous"/>',
    );
    expect(blogCssHref(html)).toBeNull();
    expect(html).toContain('<body class="theme-default">');
  });

  it("changes theme, accent, logo, favicon and custom CSS from the settings form, for this blog only", async () => {
    await createBlog("alpha", "Alpha");
    for (const blog of ["main", "alpha"]) await publish([makePost({ slug: "p" })], new Date(), blog);
    const { cookie, csrf } = await settingsSession("alpha.localhost");
    const form = settingsForm(csrf, {
      theme: "newspaper",
      accent: "#FFCC00",
      logo: "/images/library.svg",
      favicon: "https://cdn.example/fav.png",
      customCss: ".site-title { letter-spacing: 0.1em; }",
    });
    const saved = await at("alpha.localhost", "/admin/settings", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: form.toString(),
    });
    expect(saved.status, await saved.clone().text()).toBe(303);

    const html = await (await at("alpha.localhost", "/")).text();
    expect(html).toContain('<link rel="stylesheet" href="/themes/newspaper.css"/>');
    expect(html).toContain('<body class="theme-newspaper">');
    expect(html).toContain('<img class="logo" src="/images/library.svg" alt="" height="40"/>');
    expect(html).toContain('<link rel="icon" href="https://cdn.example/fav.png"/>');
    const href = blogCssHref(html)!;
    expect(href).toMatch(/^\/blog\.css\?v=[0-9a-z]+$/);

    const css = await at("alpha.localhost", href);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const text = await css.text();
    const { light, dark } = accentPalette("#ffcc00");
    expect(text).toContain(`:root{--accent:${light}}`);
    expect(text).toContain(`@media (prefers-color-scheme: dark){:root{--accent:${dark}}}`);
    expect(text).toContain(".site-title { letter-spacing: 0.1em; }");
    expect(light).not.toBe("#ffcc00");

    // The form shows what was saved; the main blog keeps its look.
    const page = await (await at("alpha.localhost", "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(page).toMatch(/<option value="newspaper" selected/);
    expect(page).toContain(".site-title { letter-spacing: 0.1em; }");
    const main = await (await get("/")).text();
    expect(main).toContain("/themes/default.css");
    expect(blogCssHref(main)).toBeNull();
    expect(await (await get("/blog.css")).text()).not.toContain("letter-spacing");
  });

  it("is changed by the operator API too, and a new version of the stylesheet follows each change", async () => {
    await publish([makePost({ slug: "p" })]);
    expect((await patch("main", { theme: "minimal", accent: "#0b5cad" })).status).toBe(200);
    const first = blogCssHref(await (await get("/")).text());
    expect(await (await get("/")).text()).toContain("/themes/minimal.css");
    expect((await patch("main", { customCss: "main { padding: 1rem; }" })).status).toBe(200);
    const second = blogCssHref(await (await get("/")).text());
    expect(second).not.toBe(first);
    expect(await (await get(second!)).text()).toContain("main { padding: 1rem; }");
    // An old version is still answered, but not kept for good.
    expect((await get(first!)).headers.get("cache-control")).toBe("public, max-age=60");
    expect((await patch("main", { accent: null, customCss: "" })).status).toBe(200);
    expect(blogCssHref(await (await get("/")).text())).toBeNull();
  });

  it.each([
    [{ theme: "neon" }, "theme must be one of default, newspaper, minimal"],
    [{ accent: "red" }, "accent must be a colour such as #0b5cad"],
    [{ logo: "javascript:alert(1)" }, "logo must be a path on this blog"],
    [{ favicon: "http://insecure.example/f.ico" }, "favicon must be a path on this blog"],
    [{ customCss: "body{}\n@import url(https://evil.example/x.css);" }, "customCss: line 2: @import is not allowed"],
    [{ customCss: "body { background: url(https://tracker.example/p.png) }" }, "url() may only name a path on this blog"],
    [{ customCss: "</style><script>alert(1)</script>" }, "may not contain <"],
    [{ customCss: "a { color: red }".repeat(2000) }, "customCss: is longer than 16 KB"],
  ])("refuses %j with a 400 naming the field", async (body, message) => {
    const res = await patch("main", body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("invalid_settings");
    expect(json.error.message).toContain(message);
    expect(blogCssHref(await (await get("/")).text())).toBeNull();
  });

  it("refuses bad custom CSS in the form with the message on the page, keeping what was typed", async () => {
    const { cookie, csrf } = await settingsSession("blog.example");
    const form = settingsForm(csrf, { title: "T", customCss: "@import 'x.css';" });
    const res = await request("/admin/settings", { method: "POST", headers: { ...FORM, Cookie: cookie }, body: form });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("@import is not allowed");
    expect(html).toContain("@import &#39;x.css&#39;;");
  });
});

describe("the accent colour", () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
    return (x + 0.05) / (y + 0.05);
  };

  it("stays readable on the light and dark backgrounds of every theme, whatever the owner picks", () => {
    const backgrounds = { light: ["#fdfcf9", "#fbfaf7", "#fffdf7", "#ffffff"], dark: ["#141519", "#121316", "#131211", "#111111"] };
    for (const pick of ["#ffcc00", "#00ff00", "#0b5cad", "#000000", "#ffffff", "#ff00ff", "#7f7f7f", "#1a0033"]) {
      const { light, dark } = accentPalette(pick);
      for (const bg of backgrounds.light) expect(contrast(light, bg), `${pick} → ${light} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      for (const bg of backgrounds.dark) expect(contrast(dark, bg), `${pick} → ${dark} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      // Button text: white on the light accent, the dark ink on the dark one.
      expect(contrast(light, "#ffffff")).toBeGreaterThanOrEqual(4.5);
      expect(contrast(dark, "#0b1220")).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("rendering", () => {
  it("numbers a long read's contents over the main headings only, sub-headings nested under theirs", async () => {
    const words = "word ".repeat(400);
    const markdown = `${words}\n\n## One\n\n${words}\n\n### One a\n\ntext\n\n### One b\n\ntext\n\n## Two\n\ntext\n\n## Three\n\ntext`;
    await publish([makePost({ slug: "long", markdown })]);
    const html = await (await get("/posts/long")).text();
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(html)![0];
    expect(toc).toContain(
      '<li><a href="#one">One</a><ol><li><a href="#one-a">One a</a></li><li><a href="#one-b">One b</a></li></ol></li><li><a href="#two">Two</a></li>',
    );
  });

  it("shows 'Updated on' when a post has an updated date, and the cover on cards, the post and link previews", async () => {
    await publish([
      makePost({
        slug: "covered",
        title: "Covered",
        date: "2025-01-01T10:00:00Z",
        updated: "2025-02-03T10:00:00Z",
        cover: "/images/library.svg",
        markdown: 'Text.\n\n![A map](/images/grid-chart.svg "The grid by day")',
      }),
      makePost({ slug: "just-posted", date: "2024-01-01T10:00:00Z", updated: "2024-01-01T10:00:40Z" }),
    ]);
    const post = await (await get("/posts/covered")).text();
    expect(post).toContain('Updated on <time datetime="2025-02-03T10:00:00Z">');
    // Saved again within the minute it was posted (published beside it above): the same time twice would say nothing.
    const fresh = await (await get("/posts/just-posted")).text();
    expect(fresh).toContain("Posted on");
    expect(fresh).not.toContain("Updated on");
    expect(post).toContain('<img class="cover" src="/images/library.svg" alt="" fetchpriority="high" decoding="async"/>');
    expect(post).toContain('<meta property="og:image" content="https://blog.example/images/library.svg"/>');
    expect(post).toContain(
      '<figure><img src="/images/grid-chart.svg" alt="A map" title="The grid by day" loading="lazy" decoding="async"><figcaption>The grid by day</figcaption></figure>',
    );
    const home = await (await get("/")).text();
    expect(home).toContain('<div class="card-cover"><img src="/images/library.svg" alt="" loading="lazy" decoding="async"/></div>');
    expect(home).not.toContain("Read more");
  });

  it("keeps Markdown's column alignment in tables", async () => {
    await publish([makePost({ slug: "table", markdown: "| a | b |\n| --- | ---: |\n| 1 | 2 |" })]);
    const html = await (await get("/posts/table")).text();
    expect(html).toMatch(/<th align="right">b<\/th>/);
    expect(html).toMatch(/<td align="right">2<\/td>/);
  });

  it("marks admin operations once on /api, and says plainly what happens after subscribing", async () => {
    const api = await (await get("/api")).text();
    expect(api).not.toContain("(admin) (admin)");
    expect(api).toContain("Create or replace a post (admin)");
    const res = await request("/subscribe", { method: "POST", headers: FORM, body: "email=reader%40example.com" });
    const page = await res.text();
    expect(page).toContain("You asked to follow this blog at <strong>reader@example.com</strong>.");
    expect(page).not.toContain("We sent a confirmation link");
    // The confirmation mail goes out after the answer: it does arrive (and before the storage is reset).
    let sent = false;
    for (let i = 0; i < 100 && !sent; i++) {
      const box = (await (await request("/api/admin/outbox", { headers: ADMIN })).json()) as { messages: { to: string }[] };
      sent = box.messages.some((m) => m.to === "reader@example.com");
      if (!sent) await new Promise((r) => setTimeout(r, 20));
    }
    expect(sent).toBe(true);
  });
});
