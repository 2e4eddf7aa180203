import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { imageProblem, sniffImage } from "../src/core/media";
import { MAX_MEDIA_BYTES } from "../src/core/vocabulary";
import { ADMIN_TOKEN, at, createBlog, get, makePost, publish, request, signIn } from "./helpers";
import { avif, GIF, JPEG, PNG, pngVariant, SVG, TEXT_AS_PNG, WEBP } from "./fixtures/images";

afterEach(async () => {
  await reset();
});

const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };

function upload(bytes: Uint8Array<ArrayBuffer>, host = "blog.example", type = "image/png", name = "map.png") {
  return at(host, "/api/media", {
    method: "POST",
    headers: { ...AUTH, "Content-Type": type, "X-File-Name": encodeURIComponent(name) },
    body: bytes,
  });
}

describe("what counts as an image", () => {
  it("recognises PNG, JPEG, GIF, WebP and AVIF from their bytes", () => {
    expect([PNG, JPEG, GIF, WEBP, avif()].map(sniffImage)).toEqual(["png", "jpg", "gif", "webp", "avif"]);
    for (const img of [PNG, JPEG, GIF, WEBP, avif()]) expect(imageProblem(img)).toBeNull();
  });

  it("refuses text named .png, SVG, empty, cut-short and oversized files, saying why", () => {
    expect(imageProblem(TEXT_AS_PNG)).toContain("not a PNG, JPEG, WebP, AVIF or GIF image");
    expect(imageProblem(SVG)).toContain("SVG images are not accepted");
    expect(imageProblem(new Uint8Array())).toBe("The file is empty.");
    expect(imageProblem(PNG.slice(0, 40))).toContain("cut short");
    expect(imageProblem(GIF.slice(0, GIF.length - 1))).toContain("cut short");
    expect(imageProblem(WEBP.slice(0, 20))).toContain("cut short");
    const big = new Uint8Array(MAX_MEDIA_BYTES + 1);
    big.set(PNG);
    expect(imageProblem(big)).toContain("larger than 10 MB");
  });
});

describe("POST /api/media", () => {
  it("stores an image under a content hash and answers where it is", async () => {
    const res = await upload(PNG);
    expect(res.status).toBe(201);
    const { media } = await res.json<any>();
    expect(media.name).toMatch(/^[0-9a-f]{20}\.png$/);
    expect(media).toMatchObject({ url: `/media/${media.name}`, type: "image/png", size: PNG.length, originalName: "map.png" });
    expect(res.headers.get("location")).toBe(media.url);
    // The same bytes again: the same name, nothing stored twice.
    const again = await upload(PNG, "blog.example", "image/png", "copy.png");
    expect(again.status).toBe(200);
    expect((await again.json<any>()).media.name).toBe(media.name);
    expect((await env.MEDIA.list({ prefix: "main/" })).objects).toHaveLength(1);
  });

  it("types the image by its bytes, whatever the request claims", async () => {
    const { media } = await (await upload(GIF, "blog.example", "image/png", "x.png")).json<any>();
    expect(media.name).toMatch(/\.gif$/);
    expect(media.type).toBe("image/gif");
  });

  it("refuses a non-image renamed .png, an SVG, a broken upload and an oversized file with clear errors", async () => {
    const text = await upload(TEXT_AS_PNG);
    expect(text.status).toBe(400);
    expect((await text.json<any>()).error.code).toBe("invalid_media");
    expect((await (await upload(SVG, "blog.example", "image/svg+xml", "x.svg")).json<any>()).error.message).toContain("SVG");
    const broken = await upload(PNG.slice(0, 50));
    expect(broken.status).toBe(400);
    expect((await broken.json<any>()).error.message).toContain("cut short");
    const big = new Uint8Array(MAX_MEDIA_BYTES + 100_000);
    big.set(PNG);
    const over = await upload(big);
    expect(over.status).toBe(413);
    expect((await over.json<any>()).error.code).toBe("payload_too_large");
    expect((await env.MEDIA.list()).objects).toHaveLength(0);
  });

  it("needs an editor", async () => {
    const res = await request("/api/media", { method: "POST", headers: { "Content-Type": "image/png" }, body: PNG });
    expect(res.status).toBe(401);
  });
});

describe("GET /media/:name", () => {
  it("serves the image with its type, immutable caching, an ETag and ranges", async () => {
    const { media } = await (await upload(PNG)).json<any>();
    const res = await get(media.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);

    const cached = await get(media.url, { "If-None-Match": etag });
    expect(cached.status).toBe(304);

    const part = await get(media.url, { Range: "bytes=0-7" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-7/${PNG.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(PNG.slice(0, 8));
  });

  it("answers 404 for an unknown name, a malformed one, and another blog's image", async () => {
    const { media } = await (await upload(PNG)).json<any>();
    expect((await get("/media/00000000000000000000.png")).status).toBe(404);
    expect((await get("/media/..%2Fmain%2Fx.png")).status).toBe(404);
    await createBlog("other");
    expect((await at("other.localhost", media.url)).status).toBe(404);
  });
});

describe("the media library", () => {
  it("lists a blog's images with their size and the posts that use them", async () => {
    const a = (await (await upload(PNG)).json<any>()).media;
    const b = (await (await upload(pngVariant(1), "blog.example", "image/png", "unused.png")).json<any>()).media;
    await publish([
      makePost({ slug: "with-map", title: "With a map", markdown: `See ![the map](${a.url}).` }),
      makePost({ slug: "covered", title: "Covered", cover: a.url }),
    ]);
    const res = await get("/api/media", AUTH);
    const { media } = await res.json<any>();
    const byName = Object.fromEntries(media.map((m: any) => [m.name, m]));
    expect(byName[a.name].usedBy.map((u: any) => u.slug).sort()).toEqual(["covered", "with-map"]);
    expect(byName[b.name].usedBy).toEqual([]);

    const page = await (await get("/admin/media", { Cookie: await signIn() })).text();
    expect(page).toContain(`<img src="${a.url}"`);
    expect(page).toContain('<a href="/admin/posts/with-map/edit">With a map</a>');
    expect(page).toContain("Not used by any post.");
    expect(page).toMatch(/2 images, \d+ kB in all\./);
  });

  it("refuses to delete an image a post uses, naming the posts; deletes an unused one", async () => {
    const a = (await (await upload(PNG)).json<any>()).media;
    const b = (await (await upload(pngVariant(2))).json<any>()).media;
    await publish([makePost({ slug: "with-map", title: "With a map", markdown: `![m](${a.url})`, draft: true })]);
    const refused = await request(`/api/media/${a.name}`, { method: "DELETE", headers: AUTH });
    expect(refused.status).toBe(409);
    const error = (await refused.json<any>()).error;
    expect(error.code).toBe("media_in_use");
    expect(error.message).toContain("“With a map” (/posts/with-map)");
    expect((await get(a.url)).status).toBe(200);
    expect((await request(`/api/media/${b.name}`, { method: "DELETE", headers: AUTH })).status).toBe(204);
    expect((await get(b.url)).status).toBe(404);
  });

  it("uploads from the library's form without JavaScript, and shows a refusal on the page", async () => {
    const cookie = await signIn();
    const html = await (await get("/admin/media", { Cookie: cookie })).text();
    // An empty library says what to do, not "0 images, 1 KB in all".
    expect(html).toContain("No image yet.");
    expect(html).not.toContain("in all.");
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const send = (bytes: Uint8Array<ArrayBuffer>, name: string) => {
      const body = new FormData();
      body.set("csrf", csrf);
      body.set("file", new File([bytes], name, { type: "image/png" }));
      return request("/admin/media", { method: "POST", headers: { Cookie: cookie }, body });
    };
    const ok = await send(WEBP, "photo.webp");
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toMatch(/^\/admin\/media\?uploaded=[0-9a-f]{20}\.webp#media-/);
    const bad = await send(TEXT_AS_PNG, "fake.png");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("not a PNG, JPEG, WebP, AVIF or GIF image");
  });
});

describe("PATCH /api/media/:name (an image's description)", () => {
  it("keeps the description, lists it, offers it again when the same image is uploaded, and refuses what it should", async () => {
    const { media } = await (await upload(PNG)).json<any>();
    expect(media.alt).toBeNull();
    const describe = (name: string, body: unknown, headers: Record<string, string> = AUTH) =>
      request(`/api/media/${name}`, {
        method: "PATCH",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const described = await describe(media.name, { alt: "  The quay at dawn  " });
    expect(described.status).toBe(200);
    expect((await described.json<any>()).media).toMatchObject({ name: media.name, alt: "The quay at dawn", type: "image/png" });
    const library = (await (await request("/api/media", { headers: AUTH })).json<any>()).media;
    expect(library.find((m: any) => m.name === media.name).alt).toBe("The quay at dawn");
    // The same bytes uploaded again: the library's image, with its description.
    expect((await (await upload(PNG, "blog.example", "image/png", "again.png")).json<any>()).media.alt).toBe("The quay at dawn");
    // Still the same image, served as before.
    const served = await get(media.url);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    // Empty: no description.
    expect((await (await describe(media.name, { alt: "" })).json<any>()).media.alt).toBeNull();
    expect((await describe(media.name, { alt: "x".repeat(301) })).status).toBe(400);
    expect((await describe(media.name, {})).status).toBe(400);
    expect((await describe(`${"0".repeat(20)}.png`, { alt: "none" })).status).toBe(404);
    expect((await describe(media.name, { alt: "sneaky" }, {})).status).toBe(401);
  });
});
