import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import app from "../src/app";
import { makePost, publish, request, signIn } from "./helpers";

afterEach(async () => {
  await reset();
});

/** Every GET route the app has, with its parameters filled in with things that exist. */
function routePaths(): string[] {
  const fill: Record<string, string> = { slug: "layout-post", tag: "world", id: "1" };
  const paths = app.routes
    .filter((r) => r.method === "GET")
    .map((r) => r.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => fill[name] ?? name))
    .filter((p) => !p.includes("*"));
  return [...new Set(paths)];
}

describe("the page layout", () => {
  it("wraps every 200 text/html answer of every route in the whole document with the stylesheet", async () => {
    await publish([makePost({ slug: "layout-post", tags: ["World"], date: "2024-01-01T00:00:00Z" })]);
    const cookie = await signIn();
    const checked = new Set<string>();
    for (const path of [...routePaths(), "/search?q=body", "/posts/layout-post/comments"]) {
      for (const headers of [{}, { Cookie: cookie }] as Record<string, string>[]) {
        const res = await request(path, { headers });
        const type = res.headers.get("content-type") ?? "";
        if (res.status !== 200 || !type.startsWith("text/html")) continue;
        const html = await res.text();
        expect(html.startsWith("<!DOCTYPE html>"), path).toBe(true);
        expect(html, path).toContain('<link rel="stylesheet" href="/style.css"/>');
        // Readers' pages carry the site's navigation; administration its own quiet frame.
        expect(html, path).toMatch(path.startsWith("/admin") ? /<nav class="admin-nav"/ : /<nav class="site-nav"/);
        checked.add(path.split("?")[0]!);
      }
    }
    // The pages served by the sub-apps mounted after the reader pages are among them.
    for (const path of ["/", "/posts/layout-post", "/follow", "/search", "/admin", "/admin/posts/new", "/archive", "/tags/world", "/api"]) {
      expect(checked, path).toContain(path);
    }
  });

  it("wraps error pages too", async () => {
    const res = await request("/no/such/page");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<link rel="stylesheet" href="/style.css"/>');
    expect(html).toContain("Page not found");
  });

  it("links a favicon and an SVG icon", async () => {
    const html = await (await request("/")).text();
    expect(html).toContain('<link rel="icon" href="/favicon.ico" sizes="32x32"/>');
    expect(html).toContain('<link rel="icon" href="/icon.svg" type="image/svg+xml"/>');
  });
});

describe("a known path with another method", () => {
  it.each([
    ["DELETE", "/follow", "GET, HEAD"],
    ["PUT", "/api/subscribe", "POST"],
    ["POST", "/api/posts", "GET, HEAD"],
    ["PATCH", "/api/posts/some-post", "GET, PUT, DELETE, HEAD"],
  ])("answers %s %s with 405 and Allow: %s", async (method, path, allow) => {
    const res = await request(path, { method, headers: { "Content-Type": "application/json" }, body: method === "GET" ? undefined : "{}" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    if (path.startsWith("/api/")) expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });

  it("still answers 404 for a path no route has", async () => {
    const res = await request("/api/nothing-here", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
