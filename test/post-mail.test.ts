import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { subscribers } from "../src/data/objects";
import { at, createBlog } from "./helpers";
import { addMember, ALPHA, FORM, OPERATOR, outbox, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const BODY = [
  "A first paragraph with [a link](https://example.org/page?a=1&b=2) and **bold** words.",
  "",
  "## A heading",
  "",
  "![The harbour at dawn](/media/harbour.png)",
  "",
  "```js",
  "const x = 1 < 2;",
  "```",
  "",
  '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
  "",
  "- one",
  "- two",
  "",
].join("\n");

const put = (slug: string, fields: Record<string, unknown>) =>
  at(ALPHA, `/api/posts/${slug}`, {
    method: "PUT",
    headers: OPERATOR,
    body: JSON.stringify({ title: `The ${slug}`, date: new Date(Date.now() - 1000).toISOString(), markdown: BODY, ...fields }),
  });

/** Waits for the jobs queue (its consumer runs by itself here, beside every other test file: seconds under load) to finish a post's mailing. */
const mailed = (slug: string, state = "sent") =>
  vi.waitFor(async () => expect((await subscribers(env, "alpha").sendStatus(slug))?.state).toBe(state), { timeout: 20_000, interval: 50 });

async function withReaders(...emails: string[]) {
  await createBlog("alpha", "Alpha");
  await subscribers(env, "alpha").importAddresses(emails, true, new Date(Date.now() - 60_000).toISOString());
}

describe("the whole post by email", () => {
  it("sends the post itself when it goes public: laid out for mail clients, with a plain-text part and one-click unsubscribe", async () => {
    await withReaders("reader@example.org");
    expect((await put("harbour", {})).status).toBe(201);
    await mailed("harbour");
    const mails = (await outbox(ALPHA)).filter((m) => m.subject === "The harbour — Alpha") as any[];
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.to).toBe("reader@example.org");
    // Styles inline on the post's own elements; absolute addresses; no frame; both colour schemes declared.
    expect(mail.html).toContain('<p style="margin:0 0 1em;">A first paragraph');
    expect(mail.html).toContain('<h2 style="font-size:1.4em;');
    expect(mail.html).toMatch(
      /<img style="[^"]*max-width:100%[^"]*" src="http:\/\/alpha\.localhost:8787\/media\/harbour\.png" alt="The harbour at dawn"/,
    );
    expect(mail.html).toContain('href="https://example.org/page?a=1&#38;b=2"');
    expect(mail.html).not.toContain("<iframe");
    expect(mail.html).toContain('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"');
    expect(mail.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(mail.html).toContain("max-width:600px");
    expect(mail.html).toContain("View in your browser");
    expect(mail.html).toContain("Posted on");
    expect(mail.html).toContain("Comment on this post");
    expect(mail.html).not.toMatch(/\{\{\w+\}\}/);
    expect(mail.html).toMatch(/href="http:\/\/alpha\.localhost:8787\/unsubscribe\?token=[^"]+"[^>]*>Unsubscribe<\/a>/);
    // The plain-text part: the same words, the link written out, the image by its description, no tag.
    expect(mail.text).toContain("A first paragraph with a link (https://example.org/page?a=1&b=2) and bold words.");
    expect(mail.text).toContain("[The harbour at dawn]");
    expect(mail.text).toContain("const x = 1 < 2;");
    expect(mail.text).toContain("- one\n- two");
    expect(mail.text).toContain("Watch the video (https://www.youtube.com/watch?v=dQw4w9WgXcQ)");
    expect(mail.text).not.toMatch(/<[a-z]/);
    expect(mail.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/alpha\.localhost:8787\/unsubscribe\?token=/);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    // Once: saving the post again mails nobody again.
    expect((await put("harbour", { title: "The harbour, again" })).status).toBe(200);
    await mailed("harbour");
    expect((await outbox(ALPHA)).filter((m) => m.subject.startsWith("The harbour"))).toHaveLength(1);
  });

  it("mails no post that says not to, follows the blog's setting otherwise, and a post can be sent later", async () => {
    await withReaders("reader@example.org");
    expect((await put("quiet", { email: false })).status).toBe(201);
    await mailed("quiet", "off");
    // The blog mails no new post unless the post asks.
    expect(
      (await at(ALPHA, "/api/admin/blogs/alpha", { method: "PATCH", headers: OPERATOR, body: JSON.stringify({ emailPosts: false }) }))
        .status,
    ).toBe(200);
    forgetBlogRecords();
    expect((await put("silent", {})).status).toBe(201);
    expect((await put("asked", { email: true })).status).toBe(201);
    await mailed("asked");
    expect(await subscribers(env, "alpha").sendStatus("silent")).toMatchObject({ state: "off" });
    // The quiet post's writer changes their mind: it goes out now, once.
    expect((await put("quiet", { email: true })).status).toBe(200);
    await mailed("quiet");
    const subjects = (await outbox(ALPHA)).map((m) => m.subject);
    expect(subjects.filter((s) => s.startsWith("The asked"))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith("The quiet"))).toHaveLength(1);
    expect(subjects.some((s) => s.startsWith("The silent"))).toBe(false);
  });

  it("shows the mailing in the editor, sends the writer a test of the post as it stands, and queues a failed mailing again", async () => {
    await withReaders("one@example.org", "two@example.org");
    await addMember(ALPHA, "writer@example.org", "editor");
    const cookie = await signInAs(ALPHA, "writer@example.org");
    expect((await put("news", {})).status).toBe(201);
    await mailed("news");
    const editor = await (await at(ALPHA, "/admin/posts/news/edit", { headers: { Cookie: cookie } })).text();
    expect(editor).toContain('<input type="checkbox" name="email" value="1" checked=""');
    expect(editor).toContain("Emailed to 2 subscribers.");
    const csrf = /name="csrf" value="([^"]+)"/.exec(editor)![1]!;
    // "Send me a test": what the form holds now (not yet saved), to the writer alone.
    const form = new URLSearchParams({
      csrf,
      live: "1",
      slug: "news",
      title: "News, retitled",
      date: new Date().toISOString(),
      markdown: "Fresh words.",
      emailShown: "1",
      email: "1",
      action: "test-mail",
    });
    const tested = await at(ALPHA, "/admin/posts/news", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie, Origin: `https://${ALPHA}` },
      body: form.toString(),
    });
    expect(tested.status).toBe(200);
    expect(await tested.text()).toContain("Test sent to writer@example.org.");
    const test = (await outbox(ALPHA)).find((m) => m.subject.startsWith("[Test]")) as any;
    expect(test).toMatchObject({ to: "writer@example.org", subject: "[Test] News, retitled — Alpha" });
    expect(test.text).toContain("Fresh words.");
    expect(test.headers["List-Unsubscribe"]).toBeUndefined();
    expect((await outbox(ALPHA)).filter((m) => m.subject.startsWith("[Test]"))).toHaveLength(1);
    // A provider's failure is shown with its reason, and "Send again now" queues it.
    const store = subscribers(env, "alpha");
    await store.recordSend("news", 2, "mail provider answered 503", new Date().toISOString());
    const failed = await (await at(ALPHA, "/admin/posts/news/edit", { headers: { Cookie: cookie } })).text();
    expect(failed).toContain("Not sent to 2 yet (mail provider answered 503)");
    expect(failed).toContain('value="retry-mail"');
    form.set("action", "retry-mail");
    const retried = await at(ALPHA, "/admin/posts/news", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie, Origin: `https://${ALPHA}` },
      body: form.toString(),
    });
    expect(await retried.text()).toContain("The mailing was queued again.");
    await mailed("news");
    // The pages' box is for posts only.
    expect(await (await at(ALPHA, "/admin/posts/new", { headers: { Cookie: cookie } })).text()).toContain('name="emailShown"');
  });

  it("speaks the blog's language", async () => {
    await createBlog("alpha", "Alpha");
    await at(ALPHA, "/api/admin/blogs/alpha", { method: "PATCH", headers: OPERATOR, body: JSON.stringify({ language: "fr" }) });
    forgetBlogRecords();
    await subscribers(env, "alpha").importAddresses(["lecteur@example.org"], true, new Date(Date.now() - 60_000).toISOString());
    expect((await put("port", {})).status).toBe(201);
    await mailed("port");
    const mail = (await outbox(ALPHA)).find((m) => m.subject.startsWith("The port")) as any;
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain("Voir dans le navigateur");
    expect(mail.html).toContain("Publié le");
    expect(mail.text).toContain("Voir la vidéo (https://www.youtube.com/watch?v=dQw4w9WgXcQ)");
  });
});
