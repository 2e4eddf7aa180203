import { listDurableObjectIds, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LEGACY_ACCOUNTS } from "../src/core/people";
import { forgetBlogRecords } from "../src/data/blogs";
import { accounts, person } from "../src/data/objects";
import { at } from "./helpers";
import { ALPHA, addMember, BETA, csrfOf, OPERATOR, setUp, signInAs } from "./people-helpers";

beforeEach(setUp);
afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

/** Whether an object has ever been made (asked once, it keeps its schema). */
async function exists<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: DurableObjectNamespace<T>,
  name: string,
): Promise<boolean> {
  const id = namespace.idFromName(name).toString();
  return (await listDurableObjectIds(namespace)).some((x) => x.toString() === id);
}

describe("people without a global object", () => {
  it("gives a person one object, by their address, and the same id on every blog", async () => {
    const onAlpha = await addMember(ALPHA, "bo@example.org", "editor");
    const onBeta = await addMember(BETA, "bo@example.org", "moderator");
    expect(onBeta).toBe(onAlpha);
    // Ids of new people are random above every id the single object of earlier versions gave.
    expect(onAlpha).toBeGreaterThanOrEqual(2 ** 40);
    expect(Number.isSafeInteger(onAlpha)).toBe(true);
    const bo = await person(env, "bo@example.org");
    expect(await bo.get()).toEqual({ id: onAlpha, email: "bo@example.org" });
    expect(await bo.blogs()).toEqual(["alpha", "beta"]);
    // Each blog's members are its own.
    expect((await accounts(env, "alpha").members("alpha")).map((m) => [m.email, m.role])).toEqual([["bo@example.org", "editor"]]);
    expect((await accounts(env, "beta").members("beta")).map((m) => [m.email, m.role])).toEqual([["bo@example.org", "moderator"]]);
    // Taken off a blog, the person's object forgets it too.
    expect((await at(BETA, `/api/members/${onBeta}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    expect(await bo.blogs()).toEqual(["alpha"]);
  });

  it("signs in, invites, makes and uses tokens and logs changes without the single object of earlier versions", async () => {
    await addMember(ALPHA, "owner@example.org", "owner");
    const cookie = await signInAs(ALPHA, "owner@example.org");
    const csrf = await csrfOf(cookie);
    const made = await at(ALPHA, "/api/tokens", {
      method: "POST",
      headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "script", role: "editor" }),
    });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    expect((await at(ALPHA, "/api/media", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await at(BETA, "/api/media", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    const log = (await (await at(ALPHA, "/api/audit", { headers: { Cookie: cookie } })).json()) as { entries: { action: string }[] };
    expect(log.entries.map((e) => e.action)).toEqual(["token.created", "member.joined", "member.invited"]);
    // Alpha's and beta's people objects exist; the single object of earlier versions was never made.
    expect(await exists(env.ACCOUNTS, "alpha/people")).toBe(true);
    expect(await exists(env.ACCOUNTS, LEGACY_ACCOUNTS)).toBe(false);
    // Nor any object counting for all blogs: sign-in requests were counted per address.
    expect((await accounts(env, "beta").auditLog("beta", 0, 10)).entries).toEqual([]);
  });
});
