import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { parseFrontMatter } from "../src/core/frontmatter";
import { crc32, readZip } from "../src/core/zip";
import { forgetBlogRecords } from "../src/data/blogs";
import { PART_BYTES } from "../src/data/exports";
import { at, createBlog, makePost, publish } from "./helpers";
import { PNG } from "./fixtures/images";
import { ALPHA, addMember, BETA, OPERATOR, outbox, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

/** An AVIF-shaped file of `size` bytes of noise (the media checks read its boxes, not its pixels): big images that do not compress. */
function bigImage(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  const ftyp = [0, 0, 0, 24, ...new TextEncoder().encode("ftypavif"), 0, 0, 0, 0, ...new TextEncoder().encode("mif1miaf")];
  out.set(ftyp, 0);
  new DataView(out.buffer).setUint32(24, size - 24);
  out.set(new TextEncoder().encode("mdat"), 28);
  for (let i = 32; i < size; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65_536)));
  return out;
}

const json = (body: unknown) => ({ method: "POST", headers: OPERATOR, body: JSON.stringify(body) });

async function upload(host: string, bytes: Uint8Array<ArrayBuffer>, type: string): Promise<string> {
  const res = await at(host, "/api/media", {
    method: "POST",
    headers: { Authorization: OPERATOR.Authorization, "Content-Type": type },
    body: bytes,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { media: { url: string } }).media.url;
}

/** Starts an export through the API and waits (the jobs queue runs its steps) until it is no longer running. */
async function exported(host: string, headers: Record<string, string> = OPERATOR) {
  const started = await at(host, "/api/export", { method: "POST", headers });
  expect(started.status).toBe(202);
  const { export: first } = (await started.json()) as { export: { id: string; status: string } };
  expect(first.status).toBe("running");
  for (let i = 0; i < 400; i++) {
    const { export: now } = (await (await at(host, `/api/export/${first.id}`, { headers })).json()) as { export: any };
    if (now.status !== "running")
      return now as { id: string; status: string; download: string; counts: Record<string, number>; expiresAt: string };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the export did not finish");
}

/** Every stored entry's CRC checked against its bytes, from the local headers and data descriptors (not only the directory). */
function checkCrcs(zip: Uint8Array) {
  const files = readZip(zip, () => {
    throw new Error("the export stores its files: nothing to inflate");
  });
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (v.getUint32(end, true) !== 0x06054b50) end--;
  let p = v.getUint32(end + 16, true);
  for (let i = 0; i < v.getUint16(end + 10, true); i++) {
    const crc = v.getUint32(p + 16, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + v.getUint16(p + 28, true)));
    expect(crc32(files.find((f) => f.name === name)!.bytes), name).toBe(crc);
    p += 46 + v.getUint16(p + 28, true);
  }
  return new Map(files.map((f) => [f.name, f.bytes]));
}

describe("an owner's export", () => {
  it("holds every post, page, draft, comment, image, old URL, subscriber and setting, in steps into one multipart zip", {
    timeout: 60_000,
  }, async () => {
    await createBlog("alpha", "Alpha");
    const image = await upload(ALPHA, PNG, "image/png");
    // Two images of noise larger than one part together: the zip goes up in several parts.
    const big = [await upload(ALPHA, bigImage(3_200_000), "image/avif"), await upload(ALPHA, bigImage(3_300_000), "image/avif")];
    const hour = 3_600_000;
    const posts = [
      makePost({
        slug: "with-image",
        title: 'A "quoted" title: yes',
        markdown: `![A quay](${image})\n\nText ]]> and <b>`,
        summary: "Ends ]]> here",
        cover: image,
        tags: ["Ports", "Été"],
      }),
      makePost({ slug: "about", title: "About", type: "page", markdown: "Who we are." }),
      makePost({ slug: "drafted", title: "Unfinished", draft: true, markdown: "Not yet." }),
      makePost({ slug: "big", title: "Big pictures", markdown: big.map((b) => `![noise](${b})`).join("\n\n") }),
      ...Array.from({ length: 130 }, (_, i) =>
        makePost({ slug: `p-${String(i).padStart(3, "0")}`, date: new Date(Date.now() - (i + 2) * hour).toISOString() }),
      ),
    ];
    await publish(posts, new Date(), "alpha", { redirects: new Map([["/2019/01/old.html", "with-image"]]) });
    const comment = async (body: unknown) => at(ALPHA, "/api/posts/with-image/comments", json(body));
    const parent = (await (await comment({ author: "Ana", body: "First *comment*", email: "ana@example.net" })).json()) as {
      comment: { id: number };
    };
    expect((await comment({ author: "Bo", body: "A reply", parentId: parent.comment.id })).status).toBe(201);
    expect((await at(ALPHA, "/api/subscribe", json({ email: "reader@example.net" }))).status).toBe(202);

    const done = await exported(ALPHA);
    expect(done.status).toBe("ready");
    expect(done.counts).toMatchObject({ posts: 134, comments: 2, images: 3 });

    const zip = await at(ALPHA, new URL(done.download).pathname + new URL(done.download).search, { headers: OPERATOR });
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toMatch(/^attachment; filename="alpha-\d{4}-\d\d-\d\d\.zip"$/);
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(PART_BYTES);
    const files = checkCrcs(bytes);
    const text = (name: string) => new TextDecoder().decode(files.get(name));

    // Posts as files publish reads back: the images beside them, the same front matter.
    const file = parseFrontMatter(text("posts/with-image.md"));
    const name = image.slice("/media/".length);
    expect(file.data).toMatchObject({ title: 'A "quoted" title: yes', cover: `images/${name}`, tags: ["Ports", "Été"] });
    expect(file.body).toContain(`![A quay](images/${name})`);
    expect(parseFrontMatter(text("posts/about.md")).data).toMatchObject({ type: "page" });
    expect(parseFrontMatter(text("posts/drafted.md")).data).toMatchObject({ draft: true });
    expect(files.get(`posts/images/${name}`)).toEqual(PNG);
    expect([...files.keys()].filter((f) => f.startsWith("posts/images/"))).toHaveLength(3);
    const comments = JSON.parse(text("posts/comments/with-image.json")) as { comments: any[] };
    expect(comments.comments.map((c) => [c.author, c.markdown, c.parent])).toEqual([
      ["Ana", "First *comment*", null],
      ["Bo", "A reply", comments.comments[0].id],
    ]);
    // A commenter's address never leaves in an export.
    expect(text("posts/comments/with-image.json")).not.toContain("ana@example.net");
    expect(text("posts/redirects.txt")).toContain("/2019/01/old.html with-image");
    expect(text("subscribers.csv")).toContain("reader@example.net");
    expect(JSON.parse(text("settings.json"))).toMatchObject({
      blog: "alpha",
      title: "Alpha",
      language: "en",
      url: "http://alpha.localhost:8787",
    });
    // The WXR: well formed enough to hold every post, the CDATA end split, the comments threaded.
    const wxr = text("wordpress.xml");
    expect(wxr.startsWith("<?xml")).toBe(true);
    expect(wxr.trimEnd().endsWith("</rss>")).toBe(true);
    expect(wxr.match(/<wp:post_type><!\[CDATA\[(post|page)\]\]><\/wp:post_type>/g)).toHaveLength(134);
    expect(wxr).toContain("]]]]><![CDATA[>");
    expect(wxr).toContain("<wp:comment_parent>1</wp:comment_parent>");
    expect(wxr).not.toContain("ana@example.net");

    // The whole blog's objects: only the zip and its state are kept once it is ready.
    const born = (await env.ARCHIVES.list({ prefix: "alpha/" })).objects.map((o) => o.key.split("/").pop());
    expect(born.sort()).toEqual(["export.zip", "state.json"]);

    // A range, as a resumed download asks.
    const part = await at(ALPHA, new URL(done.download).pathname + new URL(done.download).search, {
      headers: { ...OPERATOR, Range: "bytes=0-3" },
    });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(0, 4));
  });

  it("is for owners only, with a signed link for this blog that expires; one at a time", { timeout: 30_000 }, async () => {
    await createBlog("alpha", "Alpha");
    await createBlog("beta", "Beta");
    await publish([makePost({ slug: "hello", date: new Date(Date.now() - 3_600_000).toISOString() })], new Date(), "alpha");
    await addMember(ALPHA, "owner@example.org", "owner");
    await addMember(ALPHA, "editor@example.org", "editor");
    const owner = await signInAs(ALPHA, "owner@example.org");
    const editor = await signInAs(ALPHA, "editor@example.org");
    expect((await at(ALPHA, "/admin/export", { headers: { Cookie: editor } })).status).toBe(403);
    expect((await at(ALPHA, "/api/export", { method: "POST", headers: { Cookie: editor } })).status).toBe(403);
    expect((await at(ALPHA, "/api/export", { method: "POST" })).status).toBe(401);

    // The owner starts it from the page; the page then shows it, and the mail links to it.
    const page = await (await at(ALPHA, "/admin/export", { headers: { Cookie: owner } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = { method: "POST", headers: { Cookie: owner, "Content-Type": "application/x-www-form-urlencoded" }, body: `csrf=${csrf}` };
    const started = await at(ALPHA, "/admin/export", form);
    expect(started.status).toBe(303);
    expect((await at(ALPHA, "/admin/export", form)).status).toBe(409);
    let mail: { to: string; text: string } | undefined;
    for (let i = 0; i < 200 && !mail; i++) {
      mail = (await outbox(ALPHA)).find((m) => m.to === "owner@example.org" && m.subject.includes("export"));
      if (!mail) await new Promise((r) => setTimeout(r, 50));
    }
    expect(mail, "the ready mail").toBeDefined();
    const link = new URL(/https?:\/\/\S+\/admin\/export\/\S+/.exec(mail!.text)![0]);
    const fetched = await at(ALPHA, link.pathname + link.search, { headers: { Cookie: owner } });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("application/zip");
    expect((await at(ALPHA, "/admin/export", { headers: { Cookie: owner } })).status).toBe(200);

    // Not the editor, not without the key, not with another key, not on another blog, not signed out.
    expect((await at(ALPHA, link.pathname + link.search, { headers: { Cookie: editor } })).status).toBe(403);
    expect((await at(ALPHA, link.pathname + link.search)).status).toBe(303);
    expect((await at(ALPHA, link.pathname, { headers: { Cookie: owner } })).status).toBe(400);
    expect((await at(ALPHA, `${link.pathname}?key=x${link.searchParams.get("key")}`, { headers: { Cookie: owner } })).status).toBe(410);
    const api = `/api/export/${link.pathname.split("/")[3]}/download${link.search}`;
    expect((await at(ALPHA, api, { headers: OPERATOR })).status).toBe(200);
    expect((await at(BETA, api, { headers: OPERATOR })).status).toBe(410);

    // Seven days later the link is dead, and the expiry job deletes the files.
    const id = link.pathname.split("/")[3]!;
    const [stateKey] = (await env.ARCHIVES.list({ prefix: "alpha/" })).objects.map((o) => o.key).filter((k) => k.endsWith("state.json"));
    const state = JSON.parse(await (await env.ARCHIVES.get(stateKey!))!.text());
    await env.ARCHIVES.put(stateKey!, JSON.stringify({ ...state, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    const gone = await at(ALPHA, link.pathname + link.search, { headers: { Cookie: owner } });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("expired");
    await env.JOBS.send({ kind: "export-expire", blog: "alpha", id });
    for (let i = 0; i < 100 && (await env.ARCHIVES.list({ prefix: "alpha/" })).objects.length; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await env.ARCHIVES.list({ prefix: "alpha/" })).objects).toEqual([]);
  });
});
