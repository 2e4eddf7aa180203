import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../src/app";
import { outboxMailer } from "../src/mail/mailer";
import { clearKv, get, makePost, publish } from "./helpers";

afterEach(() => {
  vi.restoreAllMocks();
  return clearKv();
});

/** The JSON log lines written while `run` ran, whatever the level. */
async function logged(run: () => Promise<unknown>): Promise<Record<string, any>[]> {
  const lines: unknown[][] = [];
  for (const level of ["log", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args));
  }
  await run();
  vi.restoreAllMocks();
  return lines.map((args) => {
    expect(args, "one argument: the whole line").toHaveLength(1);
    return JSON.parse(String(args[0]));
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("errors you can trace", () => {
  it("gives every error answer a request id: Cloudflare's ray id where there is one", async () => {
    const api = await get("/api/posts/nothing-here");
    expect(api.status).toBe(404);
    expect(api.headers.get("x-request-id")).toMatch(UUID);
    const page = await get("/nothing-here", { "cf-ray": "8f1e2d3c4b5a6978-CDG" });
    expect(page.status).toBe(404);
    expect(page.headers.get("x-request-id")).toBe("8f1e2d3c4b5a6978-CDG");
    // Two requests, two ids.
    expect((await get("/api/posts/nothing-here")).headers.get("x-request-id")).not.toBe(api.headers.get("x-request-id"));
  });

  it("writes one JSON object per log line, with the request's id, route and blog", async () => {
    await publish([makePost({ slug: "broken" })]);
    const key = (await env.POSTS.list()).keys.map((k) => k.name).find((k) => k.includes("post:broken"));
    expect(key).toBeDefined();
    await env.POSTS.put(key!, "{damaged");
    const lines = await logged(() => get("/posts/broken", { "cf-ray": "77aa-AMS" }).then((r) => expect(r.status).toBe(404)));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", requestId: "77aa-AMS", route: "GET /posts/broken", blog: "main", key }),
    );
  });

  it("logs an unexpected failure with its stack, and shows the reader only a reference to quote", async () => {
    const down = {
      get: () => Promise.reject(new Error("KV is down")),
      getWithMetadata: () => Promise.reject(new Error("KV is down")),
    } as unknown as KVNamespace;
    let res: Response | undefined;
    const lines = await logged(async () => {
      res = await app.request("https://blog.example/archive", { headers: { "cf-ray": "99bb-FRA" } }, { ...env, POSTS: down } as Env);
    });
    expect(res!.status).toBe(500);
    expect(res!.headers.get("x-request-id")).toBe("99bb-FRA");
    const html = await res!.text();
    expect(html).toContain("Reference 99bb-FRA");
    expect(html).not.toContain("KV is down");
    const line = lines.find((l) => l.message === "unhandled error");
    expect(line).toMatchObject({ level: "error", requestId: "99bb-FRA", route: "GET /archive", code: "internal_error", status: 500 });
    expect(line!.error.message).toBe("KV is down");
    expect(line!.error.stack).toContain("Error");
  });

  it("says where a kept mail is, without its links, for someone trying the platform locally", async () => {
    const mail = (to: string) => ({
      to,
      subject: "Sign in to Alpha",
      text: "https://x/t?token=secret",
      html: "",
      headers: {},
      idempotencyKey: to,
    });
    const lines = await logged(() => outboxMailer(env, "main", "a@example.org").send([mail("ana@example.org")]));
    expect(lines).toEqual([
      expect.objectContaining({ level: "info", blog: "main", count: 1, to: "ana@example.org", subject: "Sign in to Alpha" }),
    ]);
    expect(lines[0]!.message).toContain("GET /api/admin/outbox");
    expect(JSON.stringify(lines)).not.toContain("secret");
    // A newsletter is one line, not one per subscriber.
    const many = await logged(() => outboxMailer(env, "main", "a@example.org").send([mail("a@x.org"), mail("b@x.org")]));
    expect(many).toEqual([expect.objectContaining({ count: 2, subject: "Sign in to Alpha" })]);
    expect(many[0]!.to).toBeUndefined();
  });
});
