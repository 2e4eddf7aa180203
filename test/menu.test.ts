import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { UNDATED } from "../src/core/validate";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, makePost, publish, settingsForm, settingsSession } from "./helpers";

const HOST = "alpha.localhost";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

/** The links of the blog's menu on its home page, in order. */
async function menuLinks(): Promise<string[]> {
  const html = await (await at(HOST, "/")).text();
  const links = /<div class="menu-links">([\s\S]*?)<\/div>/.exec(html)![1]!;
  return [...links.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[2]} | ${m[1]}`);
}

async function saveMenu(menu: string) {
  const { cookie, csrf } = await settingsSession(HOST);
  return at(HOST, "/admin/settings", { method: "POST", headers: { ...FORM, Cookie: cookie }, body: settingsForm(csrf, { menu }) });
}

describe("the menu the owner arranges", () => {
  it("is the default one until the owner writes one, then shows their links in their order; empty goes back", async () => {
    await createBlog("alpha", "Alpha");
    await publish(
      [makePost({ slug: "about", title: "About", date: UNDATED, type: "page" }), makePost({ slug: "news", tags: ["Trains"] })],
      new Date(),
      "alpha",
    );
    expect(await menuLinks()).toEqual([
      "Home | /",
      "Archive | /archive",
      "Search | /search",
      "Follow this blog | /follow",
      "Administration | /admin",
    ]);
    // The settings offer the blog's pages and tags as addresses.
    const { cookie } = await settingsSession(HOST);
    const settings = await (await at(HOST, "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(settings).toContain("About | /pages/about");
    expect(settings).toContain("Trains | /tags/trains");

    const saved = await saveMenu(
      "Trains | /tags/trains\nAbout us | /pages/about\nArchive | /archive\nMastodon | https://social.example/@alpha\nFollow | /follow",
    );
    expect(saved.status).toBe(303);
    expect(await menuLinks()).toEqual([
      "Trains | /tags/trains",
      "About us | /pages/about",
      "Archive | /archive",
      "Mastodon | https://social.example/@alpha",
      "Follow | /follow",
    ]);
    // The form shows it back as written.
    const again = await (await at(HOST, "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(again).toContain("About us | /pages/about\nArchive | /archive");
    expect((await saveMenu("")).status).toBe(303);
    expect((await menuLinks())[0]).toBe("Home | /");
  });

  it("refuses what is not a link of the blog or an https address, naming the line; labels stay text", async () => {
    await createBlog("alpha", "Alpha");
    for (const [line, words] of [
      ["Bad | javascript:alert(1)", "line 1"],
      ["Plain | http://example.org/", "https://"],
      ["Admin | /admin/settings", "is not one of the blog"],
      ["No bar here", "line 1: write"],
      [" | /archive", "needs a label"],
    ] as const) {
      const res = await saveMenu(line);
      expect(res.status, line).toBe(400);
      expect(await res.text(), line).toContain(words);
    }
    expect((await saveMenu(Array.from({ length: 13 }, (_, i) => `L${i} | /archive`).join("\n"))).status).toBe(400);
    expect((await saveMenu("<img src=x onerror=alert(1)> | /archive")).status).toBe(303);
    const html = await (await at(HOST, "/")).text();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
  });

  it("is set through the operator's API as a list too, checked alike", async () => {
    await createBlog("alpha", "Alpha");
    const patch = (menu: unknown) =>
      at(HOST, "/api/admin/blogs/alpha", {
        method: "PATCH",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ menu }),
      });
    expect(
      (
        await patch([
          { label: "Home", href: "/" },
          { label: "Search", href: "/search" },
        ])
      ).status,
    ).toBe(200);
    expect(await menuLinks()).toEqual(["Home | /", "Search | /search"]);
    const bad = await patch([{ label: "X", href: "ftp://example.org" }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("menu[0]");
    expect((await patch(null)).status).toBe(200);
    expect((await menuLinks()).length).toBe(5);
  });
});
