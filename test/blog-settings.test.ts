import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { PNG } from "./fixtures/images";
import { ADMIN_TOKEN, at, createBlog, getJson, makePost, publish, request, settingsForm, settingsSession } from "./helpers";

const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

describe("GET /admin/settings", () => {
  it("shows the blog's settings as they apply, and needs a session", async () => {
    await createBlog("alpha", "Alpha Notes");
    expect((await at("alpha.localhost", "/admin/settings")).status).toBe(303);
    const { cookie } = await settingsSession("alpha.localhost");
    const html = await (await at("alpha.localhost", "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(html).toContain('value="Alpha Notes"');
    expect(html).toContain('value="UTC"');
    expect(html).toMatch(/<option value="open" selected/);
    // Choices, not free text: languages in their own language, time zones found by city.
    expect(html).toContain('<select id="set-language" name="language">');
    expect(html).toContain('<option value="fr">Français</option>');
    expect(html).toContain('<option value="de">Deutsch</option>');
    expect(html).toMatch(/<option value="en" selected="">English<\/option>/);
    expect(html).toContain('list="time-zones"');
    expect(html).toContain('<option value="Pacific/Auckland">Auckland (Pacific)</option>');
    expect(html).toContain('<option value="America/New_York">New York (America)</option>');
  });

  it("takes the logo and the favicon as uploaded images, into the media library, and uses them at once", async () => {
    await createBlog("alpha", "Alpha Notes");
    const { cookie, csrf } = await settingsSession("alpha.localhost");
    const page = await (await at("alpha.localhost", "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(page).toContain('action="/admin/settings/logo" enctype="multipart/form-data"');
    const send = (which: string, file: File, token = csrf) => {
      const body = new FormData();
      body.append("csrf", token);
      body.append("file", file);
      return at("alpha.localhost", `/admin/settings/${which}`, { method: "POST", headers: { Cookie: cookie }, body });
    };
    const logo = await send("logo", new File([PNG], "logo.png", { type: "image/png" }));
    expect(logo.status).toBe(303);
    expect(logo.headers.get("location")).toBe("/admin/settings?saved=1");
    const library = (await (await at("alpha.localhost", "/api/media", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as {
      media: { url: string; originalName: string }[];
    };
    const url = library.media.find((m) => m.originalName === "logo.png")!.url;
    expect(url).toMatch(/^\/media\/[0-9a-f]{20}\.png$/);
    expect(await (await at("alpha.localhost", "/")).text()).toContain(`<img class="logo" src="${url}"`);
    expect((await send("favicon", new File([PNG], "icon.png", { type: "image/png" }))).status).toBe(303);
    expect(await (await at("alpha.localhost", "/")).text()).toContain(`<link rel="icon" href="${url}"`);
    // Not an image: the page again, saying so; a form from elsewhere (no CSRF token) changes nothing.
    const text = await send("logo", new File([new TextEncoder().encode("not an image")], "x.png", { type: "image/png" }));
    expect(text.status).toBe(400);
    expect(await text.text()).toContain("Logo: ");
    expect((await send("logo", new File([PNG], "y.png"), "forged")).status).toBe(403);
    expect((await send("banner", new File([PNG], "z.png"))).status).toBe(404);
  });

  it("shows how the accent colour reads, darkened where it must be", async () => {
    await createBlog("alpha", "Alpha Notes");
    const { cookie, csrf } = await settingsSession("alpha.localhost");
    const saved = await at("alpha.localhost", "/admin/settings", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: settingsForm(csrf, { accent: "#ffee00" }),
    });
    expect(saved.status).toBe(303);
    const html = await (await at("alpha.localhost", "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(html).toMatch(/Readers see it as #[0-9a-f]{6} on light pages \(contrast (\d+\.?\d*):1\)/);
    expect(Number(/on light pages \(contrast (\d+\.?\d*):1\)/.exec(html)![1])).toBeGreaterThanOrEqual(4.5);
    expect(html).toContain("darkened to stay readable");
    // The picker beside the field (shown by its script), and the report it asks for as it moves.
    expect(html).toContain('<input type="color" id="set-accent-picker" value="#ffee00"');
    const live = await at("alpha.localhost", "/admin/settings/accent?accent=%23ffee00", { headers: { Cookie: cookie } });
    expect(live.status).toBe(200);
    expect(((await live.json()) as any).report).toBe(
      /<p class="hint accent-report"[^>]*>([^<]*)<\/p>/.exec(html)![1]!.replace(/&#39;/g, "'"),
    );
    const bad = await at("alpha.localhost", "/admin/settings/accent?accent=red", { headers: { Cookie: cookie } });
    expect(bad.status).toBe(400);
    expect((await at("alpha.localhost", "/admin/settings/accent?accent=%23ffee00")).status).toBe(303);
  });
});

describe("POST /admin/settings", () => {
  it("changes this blog's title, language, time zone and comment rules, and no other blog's", async () => {
    await createBlog("alpha", "Alpha");
    const date = new Date(Date.now() - 3_600_000).toISOString();
    for (const blog of ["main", "alpha"]) await publish([makePost({ slug: "hello", date })], new Date(), blog);
    const { cookie, csrf } = await settingsSession("alpha.localhost");
    const res = await at("alpha.localhost", "/admin/settings", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: settingsForm(csrf, {
        title: "Alpha Renamed",
        language: "fr",
        timeZone: "Europe/Paris",
        moderation: "all",
        description: "Des notes",
        author: "Alpha desk",
      }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/settings?saved=1");

    const home = await (await at("alpha.localhost", "/")).text();
    expect(home).toContain('<html lang="fr"');
    expect(home).toContain("Alpha Renamed");
    expect(await (await at("alpha.localhost", "/feed.xml")).text()).toContain('xml:lang="fr"');
    const comment = await at("alpha.localhost", "/api/posts/hello/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "R", body: "held?" }),
    });
    expect(((await comment.json()) as any).moderation).toBe("held");

    // The main blog is untouched.
    const main = await (await request("/")).text();
    expect(main).toContain('<html lang="en"');
    expect(main).toContain("The Edge Dispatch");
    const onMain = await request("/api/posts/hello/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "R", body: "published" }),
    });
    expect(((await onMain.json()) as any).moderation).toBe("published");
  });

  it("answers 400 naming the field for a bad time zone, language or limit, and keeps the old settings", async () => {
    await createBlog("alpha", "Alpha");
    const { cookie, csrf } = await settingsSession("alpha.localhost");
    for (const [field, value, label] of [
      ["timeZone", "Mars/Olympus", "Time zone:"],
      ["language", "not a language", "Language:"],
      ["rateLimit", "lots", "Comments per address per minute:"],
      ["title", "   ", "Title:"],
      ["moderation", "whatever", "Comment moderation:"],
    ] as const) {
      const res = await at("alpha.localhost", "/admin/settings", {
        method: "POST",
        headers: { ...FORM, Cookie: cookie },
        body: settingsForm(csrf, { [field]: value, title: field === "title" ? value : "Changed" }),
      });
      expect(res.status, field).toBe(400);
      expect(await res.text(), field).toContain(label);
    }
    expect(await (await at("alpha.localhost", "/")).text()).not.toContain("Changed");
  });

  it("refuses a form without the session's CSRF token", async () => {
    await createBlog("alpha", "Alpha");
    const { cookie } = await settingsSession("alpha.localhost");
    const res = await at("alpha.localhost", "/admin/settings", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: settingsForm("forged", { title: "Hijacked" }),
    });
    expect(res.status).toBe(403);
  });

  it("lets the main blog change its own settings over the vars", async () => {
    const { cookie, csrf } = await settingsSession("blog.example");
    const res = await request("/admin/settings", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: settingsForm(csrf, { title: "Dispatch Renamed" }),
    });
    expect(res.status).toBe(303);
    expect(await (await request("/")).text()).toContain("Dispatch Renamed");
  });
});

describe("PATCH /api/admin/blogs/:name", () => {
  it("changes settings for the operator and validates them", async () => {
    await createBlog("alpha", "Alpha");
    const ok = await request("/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: ADMIN,
      body: JSON.stringify({ title: "Patched", rateLimit: 0 }),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).blog.title).toBe("Patched");
    const bad = await request("/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: ADMIN,
      body: JSON.stringify({ timeZone: "Nowhere/Land", domains: ["not a domain"] }),
    });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as any;
    expect(error.code).toBe("invalid_settings");
    expect(error.message).toContain("timeZone");
    expect(error.message).toContain("domain");
  });
});

describe("GET /admin on the main blog", () => {
  it("shows the operator every blog with its post count", async () => {
    await createBlog("alpha", "Alpha Notes");
    await publish([makePost(), makePost(), makePost()], new Date(), "alpha");
    const { cookie } = await settingsSession("blog.example");
    const html = await (await request("/admin", { headers: { Cookie: cookie } })).text();
    expect(html).toContain("Blogs on this deployment");
    expect(html).toMatch(/Alpha Notes<\/a><\/td><td>alpha<\/td><td>3<\/td>/);
    const { body } = await getJson("/api/admin/blogs", ADMIN);
    expect(body.blogs.find((b: any) => b.name === "alpha").posts).toBe(3);
  });

  it("is not shown on another blog's dashboard", async () => {
    await createBlog("alpha", "Alpha Notes");
    const { cookie } = await settingsSession("alpha.localhost");
    expect(await (await at("alpha.localhost", "/admin", { headers: { Cookie: cookie } })).text()).not.toContain("Blogs on this deployment");
  });
});

describe("previewing a theme", () => {
  it("shows an owner their blog in another theme without saving it, and no one else", async () => {
    await createBlog("alpha", "Alpha Notes");
    const { cookie } = await settingsSession("alpha.localhost");
    const settings = await (await at("alpha.localhost", "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(settings).toContain('<a href="/?theme=newspaper" target="_blank" rel="noopener">');
    const theirs = await at("alpha.localhost", "/?theme=newspaper", { headers: { Cookie: cookie } });
    expect(await theirs.text()).toContain('<body class="theme-newspaper"');
    expect(theirs.headers.get("cache-control")).toBe("private, no-store");
    // Readers, a name that is no theme, and the blog itself afterwards: its own theme.
    expect(await (await at("alpha.localhost", "/?theme=newspaper")).text()).toContain('<body class="theme-default"');
    expect(await (await at("alpha.localhost", "/?theme=bogus", { headers: { Cookie: cookie } })).text()).toContain(
      '<body class="theme-default"',
    );
    expect(await (await at("alpha.localhost", "/", { headers: { Cookie: cookie } })).text()).toContain('<body class="theme-default"');
  });
});
