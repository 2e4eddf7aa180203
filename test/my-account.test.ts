import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { accounts, person } from "../src/data/objects";
import { at } from "./helpers";
import { addMember, ALPHA, BETA, FORM, setUp, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

async function deleteAccount(host: string, cookie: string, confirm: string) {
  const page = await at(host, "/admin/me/delete", { headers: { Cookie: cookie } });
  const html = await page.text();
  if (!html.includes('name="csrf"')) return { page, html, res: null };
  const body = `csrf=${encodeURIComponent(csrfIn(html))}&confirm=${encodeURIComponent(confirm)}`;
  const res = await at(host, "/admin/me/delete", { method: "POST", headers: { ...FORM, Origin: `https://${host}`, Cookie: cookie }, body });
  return { page, html, res };
}

/** A personal API token made on /admin/me (the form), for the API. */
async function tokenOf(host: string, cookie: string): Promise<string> {
  const me = await (await at(host, "/admin/me", { headers: { Cookie: cookie } })).text();
  const made = await at(host, "/admin/me/tokens", {
    method: "POST",
    headers: { ...FORM, Origin: `https://${host}`, Cookie: cookie },
    body: `csrf=${encodeURIComponent(csrfIn(me))}&name=laptop&role=editor`,
  });
  const page =
    made.status === 303 ? await (await at(host, made.headers.get("location")!, { headers: { Cookie: cookie } })).text() : await made.text();
  return /(ebt_[A-Za-z0-9_-]+)/.exec(page)![1]!;
}

describe("a person's own account", () => {
  it("downloads what the platform keeps about them, then deletes it: memberships, tokens and sessions go everywhere", async () => {
    await setUp();
    await addMember(ALPHA, "owner@example.org", "owner");
    await addMember(ALPHA, "ada@example.org", "owner");
    await addMember(BETA, "ada@example.org", "editor");
    await addMember(BETA, "boss@example.org", "owner");
    const cookie = await signInAs(ALPHA, "ada@example.org");
    const onBeta = await signInAs(BETA, "ada@example.org");
    const token = await tokenOf(ALPHA, cookie);
    expect((await at(ALPHA, "/api/members", { headers: { Authorization: `Bearer ${token}` } })).status).not.toBe(401);

    const data = await at(ALPHA, "/admin/me/data.json", { headers: { Cookie: cookie } });
    expect(data.status).toBe(200);
    expect(data.headers.get("content-disposition")).toContain("attachment");
    const mine = (await data.json()) as any;
    expect(mine.person.email).toBe("ada@example.org");
    expect(mine.blogs.map((b: { blog: string; role: string }) => [b.blog, b.role]).sort()).toEqual([
      ["alpha", "owner"],
      ["beta", "editor"],
    ]);
    expect(mine.blogs.find((b: { blog: string }) => b.blog === "alpha").tokens).toEqual([expect.objectContaining({ name: "laptop" })]);
    expect(JSON.stringify(mine)).not.toContain(token);

    // A wrong address deletes nothing.
    const wrong = await deleteAccount(ALPHA, cookie, "someone@example.org");
    expect(wrong.res!.status).toBe(400);
    expect(await wrong.res!.text()).toContain("nothing was deleted");

    const done = await deleteAccount(ALPHA, cookie, "Ada@Example.org");
    expect(done.res!.status).toBe(200);
    expect(await done.res!.text()).toContain("Your account is deleted");
    for (const blog of ["alpha", "beta"]) {
      expect((await accounts(env, blog).members(blog)).map((m) => m.email)).not.toContain("ada@example.org");
    }
    expect(await (await person(env, "ada@example.org")).get()).toBeNull();
    // Signed out on both blogs, and the token is dead.
    expect(await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text()).not.toContain("/admin/me");
    expect((await at(BETA, "/admin/settings", { headers: { Cookie: onBeta } })).status).toBe(303);
    expect((await at(ALPHA, "/api/members", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("is refused while they are the only owner of a blog, naming it", async () => {
    await setUp();
    await addMember(ALPHA, "solo@example.org", "owner");
    const cookie = await signInAs(ALPHA, "solo@example.org");
    const { html, res } = await deleteAccount(ALPHA, cookie, "solo@example.org");
    expect(res).toBeNull();
    expect(html).toContain("You are the only owner of alpha");
    expect((await accounts(env, "alpha").members("alpha")).map((m) => m.email)).toContain("solo@example.org");
  });
});
