import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromBase64url } from "../src/core/base64url";
import { signToken } from "../src/core/tokens";
import { SESSION_SECONDS } from "../src/core/vocabulary";
import { forgetBlogRecords } from "../src/data/blogs";
import { legacySessions, operatorSessions, sessions } from "../src/data/objects";
import { SESSION_HOLD_MS } from "../src/http/auth";
import { ADMIN_TOKEN, at } from "./helpers";
import { ALPHA, addMember, BETA, csrfOf, FORM, OPERATOR, setUp, signInAs } from "./people-helpers";

beforeEach(setUp);
afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

/** The session id a cookie carries (its signed payload). */
const idOf = (cookie: string) => new TextDecoder().decode(fromBase64url(cookie.split("=")[1]!.split(".")[0]!)!);
const signedIn = async (host: string, cookie: string) =>
  (await (await at(host, "/admin", { headers: { Cookie: cookie } })).text()).includes("Sign out everywhere");

describe("sessions, kept by each blog", () => {
  it("keeps a member's session in their blog's own object: no object shared by all blogs is asked", async () => {
    await addMember(ALPHA, "ada@example.org", "editor");
    const cookie = await signInAs(ALPHA, "ada@example.org");
    expect(await signedIn(ALPHA, cookie)).toBe(true);
    // Accepting the invitation signed them in too: two sessions, both alpha's.
    expect(await sessions(env, "alpha").count()).toBe(2);
    expect(await sessions(env, "beta").count()).toBe(0);
    expect(await legacySessions(env).count()).toBe(0);
    expect(await operatorSessions(env).count()).toBe(0);
    expect(idOf(cookie).startsWith("p.")).toBe(true);
  });

  it("keeps the operator's sessions apart, and signs the operator out everywhere", async () => {
    const login = await at(ALPHA, "/admin/login", { method: "POST", headers: FORM, body: `token=${ADMIN_TOKEN}` });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    expect(await signedIn(ALPHA, cookie)).toBe(true);
    expect(await operatorSessions(env).count()).toBe(1);
    expect(await sessions(env, "alpha").count()).toBe(0);
    const out = await at(ALPHA, "/admin/logout-everywhere", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: `csrf=${encodeURIComponent(await csrfOf(cookie))}`,
    });
    expect(out.status).toBe(303);
    expect(await signedIn(ALPHA, cookie)).toBe(false);
    expect(await operatorSessions(env).count()).toBe(0);
  });

  it("signs a person out everywhere: their sessions on every blog they belong to end", async () => {
    await addMember(ALPHA, "bo@example.org", "editor");
    await addMember(BETA, "bo@example.org", "moderator");
    const [onAlpha, onBeta, again] = [
      await signInAs(ALPHA, "bo@example.org"),
      await signInAs(BETA, "bo@example.org"),
      await signInAs(ALPHA, "bo@example.org"),
    ];
    for (const [host, cookie] of [
      [ALPHA, onAlpha],
      [BETA, onBeta],
      [ALPHA, again],
    ] as const)
      expect(await signedIn(host, cookie)).toBe(true);
    const out = await at(ALPHA, "/admin/logout-everywhere", {
      method: "POST",
      headers: { ...FORM, Cookie: onAlpha },
      body: `csrf=${encodeURIComponent(await csrfOf(onAlpha))}`,
    });
    expect(out.status).toBe(303);
    for (const [host, cookie] of [
      [ALPHA, onAlpha],
      [BETA, onBeta],
      [ALPHA, again],
    ] as const)
      expect(await signedIn(host, cookie)).toBe(false);
  });

  it("honours a session ended by another isolate within SESSION_HOLD_MS", async () => {
    await addMember(ALPHA, "cy@example.org", "editor");
    const cookie = await signInAs(ALPHA, "cy@example.org");
    expect(await signedIn(ALPHA, cookie)).toBe(true);
    // Ended in the object directly, as a sign-out handled by another isolate would: this isolate holds its answer briefly.
    await sessions(env, "alpha").end(idOf(cookie));
    expect(await signedIn(ALPHA, cookie)).toBe(true);
    await new Promise((r) => setTimeout(r, SESSION_HOLD_MS + 100));
    expect(await signedIn(ALPHA, cookie)).toBe(false);
  }, 20_000);

  it("still honours, until it expires, a session of the single object of earlier versions; sign-out ends it", async () => {
    const personId = await addMember(ALPHA, "di@example.org", "owner");
    const { blog } = (await (await at(ALPHA, "/api/admin/blogs/alpha", { headers: OPERATOR })).json()) as { blog: { createdAt: string } };
    const id = "LegacySessionId0123456789";
    const expires = Date.now() + SESSION_SECONDS * 1000;
    await legacySessions(env).open(id, expires, personId);
    const cookie = `__Host-edge_admin=${await signToken(ADMIN_TOKEN, `session:alpha@${blog.createdAt}`, id, expires)}`;
    expect(await signedIn(ALPHA, cookie)).toBe(true);
    // A copy on another blog is worth nothing there.
    expect(await signedIn(BETA, cookie)).toBe(false);
    const out = await at(ALPHA, "/admin/logout", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: `csrf=${encodeURIComponent(await csrfOf(cookie))}`,
    });
    expect(out.status).toBe(303);
    expect(await signedIn(ALPHA, cookie)).toBe(false);
    expect(await legacySessions(env).count()).toBe(0);
  });
});
