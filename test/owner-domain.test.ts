import { createExecutionContext, reset, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { checkOwnerDomain } from "../src/data/owner-domain";
import { at, createBlog, makePost, publish } from "./helpers";
import { ALPHA, addMember, BETA, OPERATOR, signInAs } from "./people-helpers";
import { TOKEN, ZONE } from "./setup/cloudflare-api";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const standin = inject("cloudflareApi");
/** The deployment with Cloudflare for SaaS configured, its API the test's stand-in (test/setup/cloudflare-api.ts). */
const SAAS = {
  CF_API_BASE: `${standin}/client/v4`,
  CF_ZONE_ID: ZONE,
  CF_API_TOKEN: TOKEN,
  CUSTOM_DOMAIN_TARGET: "domains.platform.example",
};
const saasEnv = { ...env, ...SAAS } as Env;

/** A request to the app on `host`, with the deployment's vars changed, waiting for its waitUntil work. */
async function atWith(vars: Record<string, string>, host: string, path: string, init: RequestInit = {}): Promise<Response> {
  const { default: app } = await import("../src/app");
  const ctx = createExecutionContext();
  const res = await app.request(`https://${host}${path}`, { redirect: "manual", ...init }, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const api = (vars: Record<string, string>, host: string, method: string, body?: unknown) =>
  atWith(vars, host, "/api/domain", { method, headers: OPERATOR, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

const control = (id: string, to: "active" | "blocked") => fetch(`${standin}/_standin/${id}/${to}`, { method: "POST" });

describe("an owner's own domain (Cloudflare for SaaS)", () => {
  it("registers it, shows the DNS records, serves the blog there once active, and redirects the subdomain", async () => {
    await createBlog("alpha", "Alpha");
    await publish([makePost({ slug: "hello", date: new Date(Date.now() - 3_600_000).toISOString() })], new Date(), "alpha");
    const added = await api(SAAS, ALPHA, "PUT", { host: "https://Blog.Example.org/" });
    expect(added.status).toBe(202);
    const { domain } = (await added.json()) as { domain: any };
    expect(domain).toMatchObject({ host: "blog.example.org", status: "pending" });
    expect(domain.records).toEqual([
      { type: "CNAME", name: "blog.example.org", value: "domains.platform.example" },
      { type: "TXT", name: "_cf-custom-hostname.blog.example.org", value: expect.any(String) },
      { type: "TXT", name: "_acme-challenge.blog.example.org", value: expect.any(String) },
    ]);
    // What Cloudflare was asked: the host name, with HTTP validation of a DV certificate.
    const calls = (await (await fetch(`${standin}/_standin/calls`)).json()) as { result: { method: string; body: any }[] };
    expect(calls.result.at(-1)).toMatchObject({
      method: "POST",
      body: { hostname: "blog.example.org", ssl: { method: "http", type: "dv" } },
    });

    // Pending: not served there yet, the subdomain still serves; the page shows the records.
    expect((await at("blog.example.org", "/posts/hello")).status).not.toBe(200);
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);
    const owner = await (async () => {
      await addMember(ALPHA, "owner@example.org", "owner");
      return signInAs(ALPHA, "owner@example.org");
    })();
    const page = await (await atWith(SAAS, ALPHA, "/admin/domain", { headers: { Cookie: owner } })).text();
    expect(page).toContain("_cf-custom-hostname.blog.example.org");
    expect(page).toContain("domains.platform.example");

    // The job asks again while it is pending, then the DNS is in place: active, served, the subdomain redirects.
    expect(await checkOwnerDomain(saasEnv, "alpha", "blog.example.org")).toMatchObject({ status: "pending", checks: 1 });
    // That check (a "Check now") queued the next: the job queued before it is dropped without asking Cloudflare.
    const asked = async () => ((await (await fetch(`${standin}/_standin/calls`)).json()) as { result: unknown[] }).result.length;
    const before = await asked();
    expect(await checkOwnerDomain(saasEnv, "alpha", "blog.example.org", new Date(), 0)).toMatchObject({ status: "pending", checks: 1 });
    expect(await asked()).toBe(before);
    expect(await checkOwnerDomain(saasEnv, "alpha", "blog.example.org", new Date(), 1)).toMatchObject({ status: "pending", checks: 2 });
    expect(await asked()).toBe(before + 1);
    await control(domain.id, "active");
    expect(await checkOwnerDomain(saasEnv, "alpha", "blog.example.org")).toMatchObject({ status: "active", reason: null });
    forgetBlogRecords();
    const there = await at("blog.example.org", "/posts/hello");
    expect(there.status).toBe(200);
    expect(await there.text()).toContain('<link rel="canonical" href="https://blog.example.org/posts/hello"/>');
    const moved = await at(ALPHA, "/posts/hello?x=1");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("https://blog.example.org/posts/hello?x=1");
    // The administration stays on the platform's address (members are signed in there), and writes are not redirected.
    expect((await at(ALPHA, "/admin")).status).not.toBe(301);
    expect((await at(ALPHA, "/api/posts")).status).toBe(200);
    expect(
      (
        await at(ALPHA, "/api/posts/hello/comments", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ author: "A", body: "b" }),
        })
      ).status,
    ).toBe(201);
    // Another blog cannot take it.
    await createBlog("beta", "Beta");
    const taken = await api(SAAS, BETA, "PUT", { host: "blog.example.org" });
    expect(taken.status).toBe(409);

    // Removed: Cloudflare is told, the blog is back at its subdomain, the domain serves nothing.
    expect((await api(SAAS, "blog.example.org", "DELETE")).status).toBe(204);
    expect(((await (await fetch(`${standin}/_standin/calls`)).json()) as { result: any[] }).result.at(-1)).toMatchObject({
      method: "DELETE",
    });
    forgetBlogRecords();
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);
    expect((await at("blog.example.org", "/posts/hello")).status).toBe(404);
  });

  it("says why it failed; refuses the platform's own names and bad ones; is for owners; is not offered without configuration", async () => {
    await createBlog("alpha", "Alpha");
    const added = await api(SAAS, ALPHA, "PUT", { host: "failing.example.net" });
    const { domain } = (await added.json()) as { domain: { id: string } };
    await control(domain.id, "blocked");
    expect(await checkOwnerDomain(saasEnv, "alpha", "failing.example.net")).toMatchObject({
      status: "failed",
      reason: "custom hostname does not CNAME to this zone.",
    });
    // One domain at a time.
    expect((await api(SAAS, ALPHA, "PUT", { host: "second.example.net" })).status).toBe(400);
    expect((await api(SAAS, ALPHA, "DELETE")).status).toBe(204);
    for (const host of ["beta.localhost", "localhost", "not a host", "x"])
      expect((await api(SAAS, ALPHA, "PUT", { host })).status, host).toBe(400);
    // Without the operator's configuration: said, not attempted.
    const off = await api({}, ALPHA, "PUT", { host: "blog.example.org" });
    expect(off.status).toBe(409);
    expect(((await off.json()) as { error: { code: string } }).error.code).toBe("domains_not_offered");
    expect(((await (await api({}, ALPHA, "GET")).json()) as { offered: boolean }).offered).toBe(false);
    // Owners only.
    await addMember(ALPHA, "editor@example.org", "editor");
    const editor = await signInAs(ALPHA, "editor@example.org");
    expect(
      (
        await atWith(SAAS, ALPHA, "/api/domain", {
          method: "PUT",
          headers: { Cookie: editor, "Content-Type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(403);
    expect((await atWith(SAAS, ALPHA, "/admin/domain", { headers: { Cookie: editor } })).status).toBe(403);
  });
});
