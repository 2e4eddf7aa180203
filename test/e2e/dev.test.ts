import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, publish, ROOT, startDev, type DevServer } from "./processes";

let state: string;
let server: DevServer & { port: number };

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-dev-"));
  // The token from the environment, as the README's `ADMIN_TOKEN=… npm run dev`.
  server = await startDev(state, [], { ADMIN_TOKEN }, true);
});

afterAll(async () => {
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

describe("npm run dev -- --port P", () => {
  it("publishes posts/ and links every absolute URL to the host and port actually serving", async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const home = await (await fetch(`${origin}/`)).text();
    expect(home).toContain(`<link rel="canonical" href="${origin}/"/>`);
    expect(home).not.toContain("localhost:8787");
    // The federation worker runs beside it: the blog answers WebFinger.
    const jrd = (await (await fetch(`${origin}/.well-known/webfinger?resource=acct:main@127.0.0.1:${server.port}`)).json()) as {
      links: { rel: string; href: string }[];
    };
    expect(jrd.links.find((l) => l.rel === "self")?.href).toBe(`${origin}/ap/users/main`);
    const feed = await (await fetch(`${origin}/feed.xml`)).text();
    expect(feed).toContain(`${origin}/posts/`);
    expect(feed).not.toContain("localhost:8787");
    const api = (await (await fetch(`${origin}/api/posts?limit=1`)).json()) as { posts: { url: string }[] };
    expect(api.posts[0]!.url.startsWith(`${origin}/posts/`)).toBe(true);

    // The confirmation mail's link too.
    const sub = await fetch(`${origin}/api/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"email":"dev@example.org"}',
    });
    expect(sub.status).toBe(202);
    const outbox = (await (await fetch(`${origin}/api/admin/outbox`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as {
      messages: { text: string }[];
    };
    expect(outbox.messages.at(-1)!.text).toContain(`${origin}/subscribe/confirm?token=`);
  });

  it("is where npm run publish writes when not told where (the running server shows it)", async () => {
    const posts = await mkdtemp(join(tmpdir(), "edge-blog-dev-posts-"));
    try {
      await cp(join(ROOT, "posts"), posts, { recursive: true });
      await writeFile(
        join(posts, "written-beside-dev.md"),
        `---\ntitle: Written beside dev\ndate: ${new Date(Date.now() - 60_000).toISOString()}\n---\nPublished without --persist-to.\n`,
      );
      const result = await publish("--posts", posts);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`npm run dev (port ${server.port}) serves`);
      const page = await fetch(`http://127.0.0.1:${server.port}/posts/written-beside-dev`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Published without --persist-to.");
    } finally {
      await rm(posts, { recursive: true, force: true });
    }
  });

  it("runs the scheduled job at /__scheduled", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/__scheduled`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Ran scheduled event");
  });
});
