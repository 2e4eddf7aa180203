import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accentPalette } from "../../src/core/theme";
import { ADMIN_TOKEN, type DevServer, ROOT, requestAt, startDev } from "./processes";

/**
 * A deployment written by the code before blogs were found by key (one registry value in KV, one
 * Blogs object): test/fixtures/platform-v1-state.tar.gz, a `wrangler dev` state folder, and what
 * was made in it (platform-v1-state.json). The upgrade moves every blog to its own object once.
 */
let work: string;
let server: DevServer & { port: number };
const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-upgrade-"));
  await promisify(execFile)("tar", ["xzf", join(ROOT, "test/fixtures/platform-v1-state.tar.gz"), "-C", work]);
  // With the federation worker beside the reader, as deployed: deleting a blog reaches its fediverse state too.
  server = await startDev(join(work, "state"), [
    "-c",
    join(ROOT, "wrangler.toml"),
    "-c",
    join(ROOT, "federation/wrangler.toml"),
    "--var",
    `ADMIN_TOKEN:${ADMIN_TOKEN}`,
    "--var",
    "PAGE_CACHE_SECONDS:0",
  ]);
});

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

const get = (host: string, path: string, headers: Record<string, string> = {}) => requestAt(server.port, host, path, { headers });
const json = async (host: string, path: string, method = "GET", body?: unknown) =>
  requestAt(server.port, host, path, { method, headers: OPERATOR, body: body === undefined ? undefined : JSON.stringify(body) });

describe("upgrading a deployment of the single registry", () => {
  it("moves every blog, its settings, domains, posts, members and tokens to its own object, once", async () => {
    const made = JSON.parse(await readFile(join(ROOT, "test/fixtures/platform-v1-state.json"), "utf8")) as { token: string };

    // Before the upgrade has run, a new blog can take neither a name nor a domain of a blog still to be moved.
    const early = await json("localhost", "/api/admin/blogs", "POST", { name: "alpha", title: "Squatter" });
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body).error.code).toBe("name_taken");
    const earlyDomain = await json("localhost", "/api/admin/blogs", "POST", {
      name: "squatter",
      title: "Squatter",
      domains: ["alpha.example"],
    });
    expect(earlyDomain.status).toBe(409);
    expect(JSON.parse(earlyDomain.body).error.code).toBe("domain_taken");

    const first = await json("localhost", "/api/admin/platform/upgrade", "POST");
    expect(first.status).toBe(200);
    // main, alpha, beta, and gone, whose deletion was still under way when the state was saved;
    // then the people of each blog the single Accounts object held anything of (alpha, beta, main's log).
    const progress = JSON.parse(first.body);
    expect(progress).toMatchObject({ moved: 4, left: 0, done: true, people: { left: 0 } });
    expect(progress.people.moved).toBeGreaterThanOrEqual(2);
    // Done once: the old registry's KV value is gone and the people have left the old object, so asking again moves nothing.
    expect(JSON.parse((await json("localhost", "/api/admin/platform/upgrade", "POST")).body)).toEqual({
      moved: 0,
      left: 0,
      done: true,
      people: { moved: 0, left: 0 },
    });

    const alpha = await get("alpha.localhost", "/");
    expect(alpha.status).toBe(200);
    expect(alpha.body).toContain("Alpha Notes");
    // Its look: the per-blog stylesheet its record names, with its accent.
    const css = /href="(\/blog\.css\?v=[^"]+)"/.exec(alpha.body)?.[1];
    expect(css).toBeDefined();
    expect((await get("alpha.localhost", css!.replace(/&amp;/g, "&"))).body).toContain(`--accent:${accentPalette("#aa3300").light}`);
    expect((await get("alpha.localhost", "/posts/hello")).body).toContain("Hello from alpha");
    expect((await get("alpha.example", "/")).body).toContain("Alpha Notes");
    expect((await get("beta.localhost", "/")).body).toContain("Beta Journal");
    expect((await get("localhost", "/")).body).toContain("Main Renamed");
    expect((await get("gone.localhost", "/")).status).toBe(404);

    // The owner's personal token (signed for alpha's creation time, which the upgrade keeps) still works.
    expect((await get("alpha.localhost", "/api/media", { Authorization: `Bearer ${made.token}` })).status).toBe(200);
    expect((await get("beta.localhost", "/api/media", { Authorization: `Bearer ${made.token}` })).status).toBe(401);

    // Alpha's people moved to alpha's own object: its owner, with the id they had (so sessions of
    // before the upgrade stay theirs), the log, and beta's open invitation.
    const alphaPeople = JSON.parse((await json("alpha.localhost", "/api/members")).body) as {
      members: { email: string; role: string; personId: number }[];
    };
    expect(alphaPeople.members).toEqual([expect.objectContaining({ email: "owner@example.org", role: "owner" })]);
    expect(alphaPeople.members[0]!.personId).toBeLessThan(2 ** 40);
    const log = JSON.parse((await json("alpha.localhost", "/api/audit")).body) as { entries: { action: string }[] };
    expect(log.entries.map((e) => e.action)).toContain("token.created");
    expect((JSON.parse((await json("beta.localhost", "/api/members")).body) as { invitations: unknown[] }).invitations).toHaveLength(1);
    // And the owner signs in by mail on alpha as before.
    const asked = await requestAt(server.port, "alpha.localhost", "/signin", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=owner%40example.org",
    });
    expect(asked.status).toBe(200);
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      const { messages } = JSON.parse((await json("alpha.localhost", "/api/admin/outbox")).body) as {
        messages: { subject: string; text: string }[];
      };
      link = /\/signin\/confirm\?token=([^\s"&<]+)/.exec(messages.filter((m) => m.subject.startsWith("Sign in")).at(-1)?.text ?? "")?.[1];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    const signedIn = await requestAt(server.port, "alpha.localhost", "/signin/confirm", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${link}`,
    });
    expect(signedIn.status).toBe(303);
    const cookie = String(signedIn.headers["set-cookie"]).split(";")[0]!;
    expect((await get("alpha.localhost", "/admin", { Cookie: cookie })).status).toBe(200);

    const list = JSON.parse((await json("localhost", "/api/admin/blogs")).body) as {
      blogs: { name: string; posts: number; domains: string[] }[];
    };
    expect(list.blogs.map((b) => b.name)).toEqual(["main", "alpha", "beta"]);
    expect(list.blogs.find((b) => b.name === "alpha")).toMatchObject({ posts: 1, domains: ["alpha.example"] });
    expect(JSON.parse((await json("localhost", "/api/admin/platform")).body)).toMatchObject({ blogs: 3 });

    // Names and domains stay taken; the deleted blog's name is free.
    expect((await json("localhost", "/api/admin/blogs", "POST", { name: "alpha", title: "Again" })).status).toBe(409);
    const domain = await json("localhost", "/api/admin/blogs", "POST", { name: "delta", title: "Delta", domains: ["alpha.example"] });
    expect(domain.status).toBe(409);
    expect(JSON.parse(domain.body).error.code).toBe("domain_taken");
    // The deletion the old registry had begun is carried on by the blog's own object, then the name is free.
    let again = 0;
    for (let i = 0; i < 100 && again !== 201; i++) {
      again = (await json("localhost", "/api/admin/blogs", "POST", { name: "gone", title: "Back" })).status;
      if (again !== 201) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again).toBe(201);
    expect(JSON.parse((await json("localhost", "/api/admin/platform")).body)).toMatchObject({ blogs: 4, deleting: 0 });
    expect((await get("gone.localhost", "/")).body).toContain("Back");
  });
});
