import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { sendHeldDigest } from "../src/jobs";
import { at } from "./helpers";
import { addMember, ALPHA, FORM, mailTo, OPERATOR, outbox, setUp, signInAs } from "./people-helpers";

afterEach(async () => {
  vi.useRealTimers();
  await reset();
  forgetBlogRecords();
});

let ip = 0;
const comment = (body: string) =>
  at(ALPHA, "/posts/hello/comments", {
    method: "POST",
    headers: { ...FORM, "CF-Connecting-IP": `10.7.0.${++ip}` },
    body: new URLSearchParams({ author: "Reader", body }).toString(),
  });

async function heldBlog() {
  await setUp();
  const patched = await at(ALPHA, "/api/admin/blogs/alpha", {
    method: "PATCH",
    headers: OPERATOR,
    body: JSON.stringify({ moderation: "all" }),
  });
  expect(patched.status).toBe(200);
  forgetBlogRecords();
  await addMember(ALPHA, "owner@example.org", "owner");
  await addMember(ALPHA, "editor@example.org", "editor");
  await addMember(ALPHA, "mod@example.org", "moderator");
}

const waiting = async (to: string) => (await outbox(ALPHA)).filter((m) => m.to === to && m.subject.includes("moderation"));

describe("mails of comments waiting for moderation", () => {
  it("mails each waiting comment to the members who want each one (owners and moderators by default), never a published one", async () => {
    await heldBlog();
    expect((await comment("Is this **held**?")).status).toBe(303);
    const mail = (await mailTo(ALPHA, "owner@example.org", "A comment waits")) as any;
    expect(mail.subject).toMatch(/^A comment waits for moderation on “Post number \d+”$/);
    expect(mail.text).toMatch(/Reader commented on “Post number \d+”; the comment waits for approval:/);
    expect(mail.text).toContain("Is this **held**?");
    expect(mail.text).toMatch(/Approve or hide it: https?:\/\/alpha\.localhost(:\d+)?\/admin#moderation/);
    expect(mail.text).toMatch(/on your account page: https?:\/\/alpha\.localhost(:\d+)?\/admin\/me/);
    await mailTo(ALPHA, "mod@example.org", "A comment waits");
    expect(await waiting("editor@example.org")).toHaveLength(0);
    // Open comments are nobody's business by mail.
    await at(ALPHA, "/api/admin/blogs/alpha", { method: "PATCH", headers: OPERATOR, body: JSON.stringify({ moderation: "open" }) });
    forgetBlogRecords();
    await comment("Published at once.");
    await new Promise((r) => setTimeout(r, 200));
    expect(await waiting("owner@example.org")).toHaveLength(1);
  });

  it("lets each member choose on their account page: each one, a daily digest, or nothing", async () => {
    await heldBlog();
    const cookie = await signInAs(ALPHA, "mod@example.org");
    const page = await (await at(ALPHA, "/admin/me", { headers: { Cookie: cookie } })).text();
    expect(page).toContain('<option value="each" selected="">Mail me each one</option>');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const choose = (mode: string) =>
      at(ALPHA, "/admin/me/held-mail", {
        method: "POST",
        headers: { ...FORM, Cookie: cookie, Origin: `https://${ALPHA}` },
        body: `csrf=${csrf}&mode=${mode}`,
      });
    expect((await choose("weekly")).status).toBe(400);
    const saved = await choose("digest");
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('<option value="digest" selected="">Mail me a daily digest</option>');
    const owner = await signInAs(ALPHA, "owner@example.org");
    const ownerCsrf = /name="csrf" value="([^"]+)"/.exec(await (await at(ALPHA, "/admin/me", { headers: { Cookie: owner } })).text())![1]!;
    await at(ALPHA, "/admin/me/held-mail", {
      method: "POST",
      headers: { ...FORM, Cookie: owner, Origin: `https://${ALPHA}` },
      body: `csrf=${ownerCsrf}&mode=none`,
    });

    await comment("First waiting.");
    await comment("Second waiting.");
    await new Promise((r) => setTimeout(r, 300));
    expect(await waiting("mod@example.org")).toHaveLength(0);
    expect(await waiting("owner@example.org")).toHaveLength(0);
    // The digest waits for a day after the first comment, then lists the posts and how many wait.
    await sendHeldDigest(env, "alpha");
    expect(await waiting("mod@example.org")).toHaveLength(0);
    vi.useFakeTimers({ now: Date.now() + 25 * 3600_000, toFake: ["Date"] });
    await sendHeldDigest(env, "alpha");
    const [digest, ...more] = (await waiting("mod@example.org")) as any[];
    expect(more).toHaveLength(0);
    expect(digest.subject).toBe("2 comments wait for moderation on Alpha");
    expect(digest.text).toMatch(/“Post number \d+”: 2\n/);
    // Sent once: the list starts again empty.
    await sendHeldDigest(env, "alpha");
    expect(await waiting("mod@example.org")).toHaveLength(1);
    expect(await waiting("owner@example.org")).toHaveLength(0);
  });
});
