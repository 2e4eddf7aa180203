import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ImportedComment } from "../src/core/imports";
import { keysFor } from "../src/core/keys";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, get, getJson, makePost, publish, request } from "./helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const post = makePost({ slug: "hello-world", title: "Hello, world", date: "2022-01-21T14:14:00Z" });

/** The comments of the test WXR's first post, as `npm run import` writes them. */
const imported: ImportedComment[] = [
  {
    id: "wxr-101-11",
    parent: null,
    author: "Aïcha",
    url: "https://aicha.example.net/",
    date: "2022-01-21T15:00:00.000Z",
    markdown: "Lovely *post*.",
  },
  { id: "wxr-101-12", parent: "wxr-101-11", author: "Claire", url: null, date: "2022-01-21T17:30:00.000Z", markdown: "Thank you." },
  {
    id: "wxr-101-13",
    parent: "wxr-101-12",
    author: "Aïcha",
    url: "javascript:alert(1)",
    date: "2022-01-22T08:00:00.000Z",
    markdown: "<b>A reply</b> to the reply.",
  },
  { id: "wxr-101-16", parent: null, author: "Bob", url: null, date: "2022-01-24T10:00:00.000Z", markdown: "A second thread." },
];

const withComments = (comments = imported) => ({ comments: new Map([["hello-world", comments]]) });

async function apiComments() {
  const { body } = await getJson<{
    comments: { id: number; author: string; authorUrl: string | null; parentId: number | null; html: string; createdAt: string }[];
  }>("/api/posts/hello-world/comments");
  return body.comments;
}

describe("imported comments", () => {
  it("come across whole when longer than a new comment may be (a 9 KB one here)", async () => {
    const long = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} of a long answer about trams and buses.`).join("\n\n");
    expect(long.length).toBeGreaterThan(5000);
    const comment: ImportedComment = {
      id: "wxr-long",
      parent: null,
      author: "Patient",
      url: null,
      date: "2022-01-22T10:00:00.000Z",
      markdown: long,
    };
    await publish([post], new Date(), "main", withComments([comment]));
    const [only] = await apiComments();
    expect(only!.html).toContain("Paragraph 0 of a long answer");
    expect(only!.html).toContain("Paragraph 149 of a long answer");
  });

  it("are on the post page after the publish, oldest first and threaded, with the author's site linked", async () => {
    await publish([post], new Date(), "main", withComments());
    const html = await (await get("/posts/hello-world")).text();
    const order = ["Lovely <em>post</em>.", "Thank you.", "&lt;b&gt;A reply&lt;/b&gt; to the reply.", "A second thread."].map((t) =>
      html.indexOf(t),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('<a href="https://aicha.example.net/" rel="nofollow ugc noopener external">Aïcha</a>');
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("<b>A reply");

    const comments = await apiComments();
    expect(comments.map((c) => c.author)).toEqual(["Aïcha", "Claire", "Aïcha", "Bob"]);
    const [first, second, third, fourth] = comments;
    expect([first!.parentId, second!.parentId, third!.parentId, fourth!.parentId]).toEqual([null, first!.id, second!.id, null]);
    expect(comments.map((c) => c.createdAt)).toEqual(imported.map((c) => c.date));
  });

  it("are taken in once: reading again and publishing the same or changed comments again duplicates nothing", async () => {
    await publish([post], new Date(), "main", withComments());
    await get("/posts/hello-world");
    await get("/posts/hello-world");
    const ids = (await apiComments()).map((c) => c.id);
    expect(ids).toHaveLength(4);

    const changed = [
      ...imported.slice(0, 3),
      { ...imported[3]!, markdown: "A second thread, edited." },
      { ...imported[0]!, id: "wxr-101-20", date: "2022-02-01T00:00:00.000Z", markdown: "New." },
    ];
    await publish([post], new Date(), "main", withComments(changed));
    const again = await apiComments();
    expect(again.map((c) => c.id).slice(0, 4)).toEqual(ids);
    expect(again).toHaveLength(5);
    expect(again[3]!.html).toContain("A second thread, edited.");
  });

  it("show an edit published again on the post page, though nothing was added: a new version of the thread", async () => {
    await publish([post], new Date(), "main", withComments());
    expect(await (await get("/posts/hello-world")).text()).not.toContain("Edited later.");
    await publish([post], new Date(), "main", withComments([...imported.slice(0, 3), { ...imported[3]!, markdown: "Edited later." }]));
    expect(await (await get("/posts/hello-world")).text()).toContain("Edited later.");
  });

  it("keeps a moderator's decision over a comment when the import is published again", async () => {
    await publish([post], new Date(), "main", withComments());
    const [first] = await apiComments();
    const hidden = await request(`/api/posts/hello-world/comments/${first!.id}/hide`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(hidden.status).toBe(200);
    await publish([post], new Date(), "main", withComments([...imported, { ...imported[3]!, id: "wxr-101-30", markdown: "Later." }]));
    const after = await apiComments();
    expect(after.map((c) => c.id)).not.toContain(first!.id);
    expect(after).toHaveLength(4);
  });

  it("come before newer comments of readers, and do not count against a reader's rate limit", async () => {
    await publish([post]);
    const reader = await request("/api/posts/hello-world/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.7" },
      body: JSON.stringify({ author: "Reader", body: "Made here, today." }),
    });
    expect(reader.status).toBe(201);
    await publish([post], new Date(), "main", withComments());
    const html = await (await get("/posts/hello-world")).text();
    expect(html.indexOf("A second thread.")).toBeLessThan(html.indexOf("Made here, today."));
    expect((await apiComments()).map((c) => c.author)).toEqual(["Reader", "Aïcha", "Claire", "Aïcha", "Bob"]);
  });

  it("are not uploaded for a post that does not exist, and stay in their own blog", async () => {
    await createBlog("alpha");
    const entries = await publish([post], new Date(), "alpha", {
      comments: new Map([
        ["hello-world", imported],
        ["ghost", imported],
      ]),
    });
    expect(entries.has(keysFor("alpha").importedComments("ghost"))).toBe(false);
    await publish([post]);
    expect(await (await at("alpha.localhost", "/posts/hello-world")).text()).toContain("A second thread.");
    expect(await (await get("/posts/hello-world")).text()).not.toContain("A second thread.");
    expect(await apiComments()).toEqual([]);
  });

  it("waits for KV to hold the version the post names, taking what is there meanwhile", async () => {
    const entries = await publish([post], new Date(), "main", withComments());
    const key = keysFor("main").importedComments("hello-world");
    await env.POSTS.put(key, JSON.stringify({ v: 1, comments: imported.slice(0, 1) }));
    expect(await apiComments()).toHaveLength(1);
    await env.POSTS.put(key, entries.get(key)!);
    expect(await apiComments()).toHaveLength(4);
  });
});

describe("GET old URLs", () => {
  const redirects = new Map([
    ["/2022/01/21/hello-world", "hello-world"],
    ["/?p=101", "hello-world"],
    ["/2022/01/mon-article.html", "hello-world"],
  ]);

  it("answers 301 with the new post address for each old URL, with or without its trailing slash", async () => {
    await publish([post], new Date(), "main", { redirects });
    for (const path of [
      "/2022/01/21/hello-world/",
      "/2022/01/21/hello-world",
      "/2022/01/21/Hello-World/",
      "/?p=101",
      "/2022/01/mon-article.html",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(301);
      expect(res.headers.get("Location"), path).toBe("/posts/hello-world");
    }
    expect((await get("/posts/hello-world")).status).toBe(200);
  });

  it("leaves every other address alone: the home page with an unknown ?p=, real 404s, the API, writes", async () => {
    await publish([post], new Date(), "main", { redirects });
    expect((await get("/?p=999")).status).toBe(200);
    expect((await get("/?page=1")).status).toBe(200);
    expect((await get("/2022/01/21/other")).status).toBe(404);
    expect((await get("/api/2022/01/21/hello-world")).status).toBe(404);
    expect((await request("/2022/01/21/hello-world", { method: "POST" })).status).not.toBe(301);
  });

  it("belongs to one blog: another blog's old URLs are 404 here", async () => {
    await createBlog("alpha");
    await publish([post], new Date(), "alpha", { redirects });
    await publish([post]);
    expect((await at("alpha.localhost", "/?p=101")).status).toBe(301);
    expect((await get("/?p=101")).status).toBe(200);
    expect((await get("/2022/01/21/hello-world")).status).toBe(404);
  });

  it("is not written for a post that does not exist", async () => {
    const entries = await publish([post], new Date(), "main", { redirects: new Map([["/old", "missing"]]) });
    expect(entries.has(keysFor("main").redirects)).toBe(false);
    expect((await get("/old")).status).toBe(404);
  });
});
