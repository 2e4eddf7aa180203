import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { byDateDesc } from "../src/core/build";
import { CHUNK } from "../src/core/keys";
import { getListingPage } from "../src/data/posts";
import { clearKv, DAY, HOUR, makePost, publish } from "./helpers";
import { MAIN_BLOG } from "../src/core/blogs";
import { blogStore } from "../src/core/keys";

afterEach(clearKv);

/** 230 public posts and 7 scheduled ones at publish time, every 12 hours around `published`. */
function corpus(published: Date) {
  return Array.from({ length: 237 }, (_, i) =>
    makePost({
      slug: `p-${i}`,
      date: new Date(published.getTime() - (229 - i) * 12 * HOUR).toISOString(),
      tags: i % 3 === 0 ? ["third"] : [],
    }),
  );
}

describe("getListingPage", () => {
  it("returns every window exactly as the naive list would, before and after scheduled posts go live", async () => {
    const published = new Date(Date.now() - 2 * DAY);
    const posts = corpus(published);
    const entries = await publish(posts, published);
    // 230 public posts: a head with the newest 130 and one block of the oldest 100.
    expect([...entries.keys()].filter((k) => k.startsWith("v1:list:home:")).sort()).toEqual(["v1:list:home:head", "v1:list:home:o0"]);
    expect(JSON.parse(entries.get("v1:list:home:head")!)).toMatchObject({ total: 230, start: CHUNK });

    for (const now of [published, new Date(published.getTime() + 30 * HOUR), new Date(published.getTime() + 10 * DAY)]) {
      const visible = posts
        .filter((p) => p.date <= now.toISOString())
        .sort(byDateDesc)
        .map((p) => p.slug);
      for (const limit of [1, 7, 10, 25, 100]) {
        for (let offset = 0; offset < visible.length + limit; offset += limit) {
          const page = await getListingPage(blogStore(env.POSTS, MAIN_BLOG), { kind: "home" }, offset, limit, now);
          expect(page?.total).toBe(visible.length);
          expect(page?.items.map((p) => p.slug)).toEqual(visible.slice(offset, offset + limit));
        }
      }
    }
  });

  it("pages a tag listing the same way", async () => {
    const published = new Date(Date.now() - 2 * DAY);
    const posts = corpus(published);
    await publish(posts, published);
    const now = new Date();
    const visible = posts
      .filter((p) => p.tags.includes("third") && p.date <= now.toISOString())
      .sort(byDateDesc)
      .map((p) => p.slug);
    const page = await getListingPage(blogStore(env.POSTS, MAIN_BLOG), { kind: "tag", slug: "third" }, 10, 10, now);
    expect(page?.name).toBe("third");
    expect(page?.total).toBe(visible.length);
    expect(page?.items.map((p) => p.slug)).toEqual(visible.slice(10, 20));
  });

  it("returns null for a listing that was never published", async () => {
    expect(await getListingPage(blogStore(env.POSTS, MAIN_BLOG), { kind: "tag", slug: "nothing" }, 0, 10, new Date())).toBeNull();
  });

  it("treats a corrupt chunk as missing instead of failing", async () => {
    await env.POSTS.put("v1:list:home:0", "{not json");
    expect(await getListingPage(blogStore(env.POSTS, MAIN_BLOG), { kind: "home" }, 0, 10, new Date())).toBeNull();
  });
});
