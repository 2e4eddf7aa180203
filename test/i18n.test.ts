import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { counted, type Messages } from "../src/core/i18n";
import { CATALOGS } from "../src/core/i18n/all";
import { formatDateTime } from "../src/views/format";
import { ReactionLine } from "../src/views/pages/post";
import { catalogTexts } from "./catalog-text";
import { ADMIN_TOKEN, at, createBlog, makePost, publish, request } from "./helpers";

/** A blog in `language` (the operator's API sets it, as the owner's settings page does). */
async function blogIn(name: string, language: string) {
  await createBlog(name, `Blog ${name}`);
  const res = await request(`/api/admin/blogs/${name}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ language, timeZone: "Europe/Paris" }),
  });
  expect(res.status).toBe(200);
}

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

/** Every text of a catalog, by its path, its places filled with 2. */
const texts = (t: Messages) => new Map([...catalogTexts(t)].map(([path, text]) => [path, text.replace(/\{\w+\}/g, "2")]));

const decode = (html: string) =>
  html
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** English whole (the worker's copy leaves out words English never shows). */
const en = CATALOGS.en!;

describe("a blog in its own language", () => {
  it.each(Object.keys(CATALOGS).filter((code) => code !== "en"))(
    "reads %s on the post page, with no sentence of the English catalog",
    async (code) => {
      const t = CATALOGS[code]!;
      const name = `blog-${code}`;
      await blogIn(name, code);
      const date = "2022-01-21T13:14:00.000Z";
      await publish(
        [
          makePost({ slug: "hello", date, tags: ["world"], markdown: "Bonjour." }),
          makePost({ slug: "older", date: "2022-01-01T10:00:00.000Z" }),
        ],
        new Date(),
        name,
      );
      const host = `${name}.localhost`;
      const posted = await at(host, "/api/posts/hello/comments", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ author: "Lecteur", body: "Merci !" }),
      });
      expect(posted.status).toBe(201);
      const html = decode(await (await at(host, "/posts/hello")).text());

      // Its words, its dates ("Publié le 21 janvier 2022 à 14:14") and its plurals.
      expect(html).toContain(
        `${t.post.postedOn} <time datetime="${date}">${formatDateTime(date, "Europe/Paris", t.locale)}</time> ${t.post.by}`,
      );
      expect(formatDateTime(date, "Europe/Paris", t.locale)).not.toContain("January");
      for (const words of [
        t.comments.title,
        t.subscribe.label,
        t.subscribe.hint,
        t.nav.follow,
        t.footer.createBlog,
        t.comments.submit,
        t.comments.name,
      ]) {
        expect(html).toContain(words);
      }
      expect(html).toContain(counted(t, t.comments.count, 1));
      expect(html).toContain(counted(t, t.post.minutesRead, 1));
      // The live script gets the same words.
      expect(html).toContain('data-words="{');

      // Nothing of the English catalog that differs from this one's (words a language shares, as "RSS", may stay).
      const mine = texts(t);
      const english = [...texts(en)].filter(([path, text]) => text !== mine.get(path) && text.length >= 8);
      expect(english.length).toBeGreaterThan(20);
      for (const [path, text] of english) expect(html, `${code}: ${path}`).not.toContain(text);
    },
  );

  it("keeps English blogs in English, each blog in its own language on the same isolate", async () => {
    await blogIn("anglais", "en");
    await blogIn("francais", "fr");
    for (const name of ["anglais", "francais"]) await publish([makePost({ slug: "same" })], new Date(), name);
    const english = await (await at("anglais.localhost", "/posts/same")).text();
    const french = await (await at("francais.localhost", "/posts/same")).text();
    expect(english).toContain("Comment on this post");
    expect(english).not.toContain(CATALOGS.fr!.comments.title);
    expect(french).toContain(CATALOGS.fr!.comments.title);
    expect(french).not.toContain("Comment on this post");
  });
});

describe("reactions from the fediverse", () => {
  it("are counted and listed in the blog's language", async () => {
    const line = async (code: string, like: number, announce: number) =>
      decode(String(await ReactionLine({ reactions: { like, announce } as never, t: CATALOGS[code]! })));
    // English as it always read.
    expect(await line("en", 3, 1)).toBe('<p class="reactions">3 likes and 1 boost from the fediverse</p>');
    expect(await line("en", 1, 0)).toBe('<p class="reactions">1 like from the fediverse</p>');
    for (const code of Object.keys(CATALOGS).filter((c) => c !== "en")) {
      const t = CATALOGS[code]!;
      const text = await line(code, 3, 1);
      expect(text).toContain(counted(t, t.reactions.likes, 3));
      expect(text).toContain(counted(t, t.reactions.boosts, 1));
      expect(text).not.toContain("from the fediverse");
      expect(text).not.toContain(" and ");
    }
  });
});
