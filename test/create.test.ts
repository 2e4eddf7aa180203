import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, request, requestWith } from "./helpers";

const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const JSON_TYPE = { "Content-Type": "application/json" };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
let ip = 0;

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

// Through requestWith, which waits for the mail sent after the answer.
const ask = (body: unknown, headers: Record<string, string> = {}) =>
  requestWith({}, "/api/blogs", {
    method: "POST",
    headers: { ...JSON_TYPE, "CF-Connecting-IP": `192.0.2.${++ip % 250}`, ...headers },
    body: JSON.stringify(body),
  });

async function mainOutbox(): Promise<{ to: string; subject: string; text: string }[]> {
  return ((await (await request("/api/admin/outbox", { headers: OPERATOR })).json()) as { messages: any[] }).messages;
}

const tokenIn = (text: string) => decodeURIComponent(/\/create\/confirm\?token=([^\s"&<]+)/.exec(text)![1]!);

describe("GET /create", () => {
  it("shows the form on the main host, and every page links to it", async () => {
    const res = await request("/create");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/create"');
    expect(html).toContain('href="https://blog.example/create"');
    // It says what a name may be and where the blog will answer (the address the hand-over uses, port included).
    expect(html).toContain("3 to 30 lowercase letters (a–z), digits and single hyphens");
    expect(html).toContain("<strong>https://city-notes.localhost</strong>");
    await createBlog("alpha");
    const elsewhere = await at("alpha.localhost", "/create");
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.get("location")).toBe("https://localhost/create");
    expect(await (await at("alpha.localhost", "/")).text()).toContain("+ Create my blog");
  });
});

describe("POST /api/blogs, then the mailed link", () => {
  it("creates the account and the blog, makes them its owner and signs them in on the new blog's host", async () => {
    const res = await ask({ email: "new@example.org", name: "fresh-notes", title: "Fresh Notes" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "pending" });
    expect((await at("fresh-notes.localhost", "/")).status).toBe(404);
    const mail = (await mainOutbox()).find((m) => m.to === "new@example.org")!;
    expect(mail.subject).toContain("fresh-notes");
    const token = tokenIn(mail.text);

    const page = await request(`/create/confirm?token=${encodeURIComponent(token)}`);
    expect(await page.text()).toContain('<form method="post" action="/create/confirm">');
    const created = await request("/create/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    expect(created.status).toBe(303);
    const handoff = new URL(created.headers.get("location")!);
    expect(handoff.origin).toBe("https://fresh-notes.localhost");
    expect(handoff.pathname).toBe("/signin/handoff");

    const signedIn = await at("fresh-notes.localhost", `${handoff.pathname}${handoff.search}`);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.text()).toContain('<meta http-equiv="refresh" content="0;url=/admin"/>');
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    const dashboard = await (await at("fresh-notes.localhost", "/admin", { headers: { Cookie: cookie } })).text();
    expect(dashboard).toContain('href="/admin/settings"');
    expect(await (await at("fresh-notes.localhost", "/")).text()).toContain("Fresh Notes");
    const members = (await (await at("fresh-notes.localhost", "/api/members", { headers: { Cookie: cookie } })).json()) as any;
    expect(members.members).toEqual([expect.objectContaining({ email: "new@example.org", role: "owner" })]);

    // Each link works once; the hand-over only on its own blog; the session is worthless on the main blog.
    expect((await request("/create/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` })).status).toBe(
      400,
    );
    expect((await at("fresh-notes.localhost", `${handoff.pathname}${handoff.search}`)).status).toBe(400);
    expect(await (await request("/admin", { headers: { Cookie: cookie } })).text()).toContain('action="/signin"');
  });

  it.each([
    [{ email: "a@example.org", name: "No", title: "T" }, 400, "invalid_name"],
    [{ email: "a@example.org", name: "admin", title: "T" }, 400, "reserved_name"],
    [{ email: "a@example.org", name: "taken", title: "T" }, 409, "name_taken"],
    [{ email: "a@example.org", name: "main", title: "T" }, 409, "name_taken"],
    [{ email: "not-an-address", name: "okay-name", title: "T" }, 400, "invalid_input"],
    [{ email: "a@example.org", name: "okay-name" }, 400, "invalid_input"],
  ])("refuses %j with %i %s and mails nothing", async (body, status, code) => {
    await createBlog("taken");
    const before = (await mainOutbox()).length;
    const res = await ask(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as any).error.code).toBe(code);
    expect((await mainOutbox()).length).toBe(before);
  });

  it("limits requests per address, and can be closed by the operator", async () => {
    const fixed = { "CF-Connecting-IP": "198.51.100.9" };
    for (let i = 0; i < 5; i++) expect((await ask({ email: `p${i}@example.org`, name: `blog-${i}`, title: "T" }, fixed)).status).toBe(202);
    const sixth = await ask({ email: "p6@example.org", name: "blog-six", title: "T" }, fixed);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("retry-after")).toMatch(/^\d+$/);
    const closed = await requestWith({ SIGNUPS: "closed" }, "/api/blogs", {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ email: "c@example.org", name: "closed-one", title: "T" }),
    });
    expect(closed.status).toBe(403);
    expect(((await closed.json()) as any).error.code).toBe("signups_closed");
  });

  it("works from the form without JavaScript, with errors named by field", async () => {
    const bad = await request("/create", { method: "POST", headers: FORM, body: "email=x%40example.org&name=Bad+Name&title=T" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("3 to 30 lowercase letters");
    const ok = await requestWith({}, "/create", { method: "POST", headers: FORM, body: "email=x%40example.org&name=good-name&title=Good" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Check your inbox");
  });
});
