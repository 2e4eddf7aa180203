import { reset, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { objectName } from "../src/core/blogs";
import { ADMIN_TOKEN, makePost, publish, request } from "./helpers";

afterEach(async () => {
  await reset();
});

const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
let ip = 0;

/** A comment through the page's form, from a browser (its commenter cookie) or not; answers the cookie it was given. */
async function comment(slug: string, fields: Record<string, string>, cookie?: string): Promise<string | undefined> {
  const res = await request(`/posts/${slug}/comments`, {
    method: "POST",
    headers: { ...FORM, "CF-Connecting-IP": `10.8.0.${++ip}`, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams({ body: "A thought.", ...fields }).toString(),
  });
  expect(res.status).toBe(303);
  return res.headers.get("set-cookie")?.split(";")[0] ?? cookie;
}

const thread = async (slug: string) =>
  ((await (await request(`/api/posts/${slug}/comments`)).json()) as { comments: { author: string; doc: unknown }[] }).comments;

async function erased(email: string, comments: "anonymize" | "delete") {
  const started = await request("/api/erasure", { method: "POST", headers: OPERATOR, body: JSON.stringify({ email, comments }) });
  expect(started.status).toBe(202);
  const { erasure } = (await started.json()) as { erasure: { id: string; status: string } };
  for (let i = 0; i < 200; i++) {
    const now = ((await (await request(`/api/erasure/${erasure.id}`, { headers: OPERATOR })).json()) as { erasure: any }).erasure;
    if (now.status === "done") return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the erasure did not finish");
}

/** Every row of a thread's tables, as text: what a look at its storage would find. */
const storageOf = (slug: string) =>
  runInDurableObject(env.COMMENTS.get(env.COMMENTS.idFromName(objectName("main", slug))), (_o, state) =>
    JSON.stringify(["comments", "hits"].map((t) => state.storage.sql.exec(`SELECT * FROM ${t}`).toArray())),
  );

describe("erasing a person's data on request", () => {
  it("takes their address out of the subscribers, the reply mails and every comment, keeping the comments anonymous", {
    timeout: 30_000,
  }, async () => {
    const hour = 3_600_000;
    await publish([
      makePost({ slug: "harbour", date: new Date(Date.now() - 2 * hour).toISOString() }),
      makePost({ slug: "bridge", date: new Date(Date.now() - hour).toISOString() }),
    ]);
    // Ana comments twice from one browser (the second time without her address), once asking for reply mails.
    const cookie = await comment("harbour", { author: "Ana", email: "ana@example.net", notify: "1", body: "Ana's *first* word." });
    await comment("bridge", { author: "Ana B.", body: "Ana's second word, no address." }, cookie);
    await comment("bridge", { author: "Bo", email: "bo@example.org", body: "Bo stays." });
    const subscribed = await request("/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "Ana@Example.net" }),
    });
    expect(subscribed.status).toBe(202);
    expect(await storageOf("harbour")).toContain("ana@example.net");

    const done = await erased("ANA@example.net", "anonymize");
    expect(done).toMatchObject({ status: "done", anonymized: 2, deleted: 0, subscriber: true, replies: true });
    expect((await thread("harbour")).map((c) => c.author)).toEqual(["A former reader"]);
    expect(JSON.stringify((await thread("harbour"))[0])).toContain("first");
    expect((await thread("bridge")).map((c) => c.author)).toEqual(["A former reader", "Bo"]);
    // Nothing of her is left: not in the threads' rows, not among the subscribers, not even as "unsubscribed".
    expect(await storageOf("harbour")).not.toMatch(/ana@example\.net|10\.8\.0\.1"/);
    expect(await storageOf("bridge")).not.toContain("Ana B.");
    const csv = await (await request("/admin/subscribers.csv", { headers: OPERATOR })).text();
    expect(csv.toLowerCase()).not.toContain("ana@example.net");
    // The post page shows the new name at once.
    const page = await (await request("/posts/harbour")).text();
    expect(page).toContain("A former reader");
    expect(page).not.toContain(">Ana<");

    // Deleting instead: Bo's comment goes.
    expect(await erased("bo@example.org", "delete")).toMatchObject({ deleted: 1, anonymized: 0 });
    expect((await thread("bridge")).map((c) => c.author)).toEqual(["A former reader"]);
    expect(await storageOf("bridge")).not.toContain("bo@example.org");
  });

  it("is for owners, with a valid address; the page shows how it went", async () => {
    expect((await request("/api/erasure", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).status).toBe(
      401,
    );
    const bad = await request("/api/erasure", { method: "POST", headers: OPERATOR, body: JSON.stringify({ email: "not an address" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_email");
    const done = await erased("nobody@example.org", "anonymize");
    expect(done).toMatchObject({ anonymized: 0, subscriber: false });
    // The record keeps no address.
    const keys = (await env.ARCHIVES.list({ prefix: "main/" })).objects.map((o) => o.key);
    const records = await Promise.all(keys.map(async (k) => (await env.ARCHIVES.get(k))!.text()));
    expect(records.join()).not.toContain("nobody@example.org");
    expect((await request(`/api/erasure/${done.id}`, { headers: OPERATOR })).status).toBe(200);
    expect((await request("/api/erasure/zzz", { headers: OPERATOR })).status).toBe(404);
  });
});
