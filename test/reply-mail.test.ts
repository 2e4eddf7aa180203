import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, DAY, makePost, publish, requestWith } from "./helpers";

afterEach(async () => {
  await reset();
});

let ip = 0;
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

/** A reader's comment through the page's form (waiting for the mail sent after the answer). */
const comment = (slug: string, fields: Record<string, string>, vars: Record<string, string> = {}) =>
  requestWith(vars, `/posts/${slug}/comments`, {
    method: "POST",
    headers: { ...FORM, "CF-Connecting-IP": `10.9.0.${++ip}` },
    body: new URLSearchParams({ body: "A thought.", ...fields }).toString(),
  });

const idOf = (res: Response) => Number(/#comment-(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);

async function mails(): Promise<{ to: string; subject: string; text: string; html: string; headers: Record<string, string> }[]> {
  const res = await requestWith({}, "/api/admin/outbox", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  return ((await res.json()) as { messages: any[] }).messages;
}

const link = (text: string, path: string) => new RegExp(`https://blog\\.example(${path.replace("?", "\\?")}[^\\s]*)`).exec(text)?.[1];

/** Ada asks for reply mails on a comment and confirms by the mailed link; answers her comment's id. */
async function adaConfirmed(slug = "harbour"): Promise<number> {
  const asked = await comment(slug, { author: "Ada", email: "ada@example.org", notify: "1" });
  expect(asked.status).toBe(303);
  const confirmation = (await mails()).find((m) => m.to === "ada@example.org" && m.subject.startsWith("Confirm reply notifications"));
  expect(confirmation?.subject).toBe("Confirm reply notifications from The Edge Dispatch");
  const path = link(confirmation!.text, "/replies/confirm?token=")!;
  // The link shows a button (mail scanners follow links); the button confirms.
  const page = await requestWith({}, path);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("ada@example.org");
  const token = new URL(path, "https://blog.example").searchParams.get("token")!;
  const done = await requestWith({}, "/replies/confirm", {
    method: "POST",
    headers: FORM,
    body: new URLSearchParams({ token }).toString(),
  });
  expect(await done.text()).toContain("you will be told of replies to your comments");
  return idOf(asked);
}

const repliesTo = async (to: string) => (await mails()).filter((m) => m.to === to && m.subject.includes("replied to your comment"));

describe("reply mails", () => {
  it("tells a commenter who asked and confirmed of each reply, with a stop for the conversation and one for the blog", async () => {
    await publish([makePost({ slug: "harbour", title: "The harbour", date: new Date(Date.now() - DAY).toISOString() })]);
    const ada = await adaConfirmed();
    // Bob replies: Ada is told, once, with his words and the way back.
    await comment("harbour", { author: "Bob", body: "I **disagree**, gently.", parentId: String(ada) });
    const [mail, ...more] = await repliesTo("ada@example.org");
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe("Bob replied to your comment on “The harbour”");
    expect(mail!.text).toContain("I **disagree**, gently.");
    expect(mail!.text).toMatch(/Read and answer: https:\/\/blog\.example\/posts\/harbour#comment-\d+/);
    expect(mail!.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/blog\.example\/replies\/stop\?token=[^>]+>$/);
    expect(mail!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    // Nobody is told of their own reply.
    await comment("harbour", { author: "Ada", email: "ADA@example.org", body: "Fair.", parentId: String(ada) });
    expect(await repliesTo("ada@example.org")).toHaveLength(1);

    // Ada stops this conversation: another reply here mails nothing; a reply elsewhere does.
    const stopThread = link(mail!.text, "/replies/stop?token=")!;
    expect(stopThread).toContain("&post=harbour");
    const question = await requestWith({}, stopThread);
    expect(await question.text()).toContain("about this conversation");
    expect(await (await requestWith({}, stopThread, { method: "POST", headers: FORM, body: "" })).text()).toContain(
      "no more mails about this conversation",
    );
    await comment("harbour", { author: "Cleo", body: "Me too.", parentId: String(ada) });
    expect(await repliesTo("ada@example.org")).toHaveLength(1);
    await publish([
      makePost({ slug: "harbour", title: "The harbour", date: new Date(Date.now() - DAY).toISOString() }),
      makePost({ slug: "bridge", title: "The bridge", date: new Date(Date.now() - DAY).toISOString() }),
    ]);
    const onBridge = idOf(await comment("bridge", { author: "Ada", email: "ada@example.org", notify: "1" }));
    // Confirmed once for the blog: no second confirmation.
    expect((await mails()).filter((m) => m.subject.startsWith("Confirm reply notifications"))).toHaveLength(1);
    await comment("bridge", { author: "Bob", body: "Another view.", parentId: String(onBridge) });
    expect((await repliesTo("ada@example.org")).map((m) => m.subject)).toContain("Bob replied to your comment on “The bridge”");

    // One click on the mail's List-Unsubscribe stops them all.
    const all = /<https:\/\/blog\.example([^>]+)>/.exec(mail!.headers["List-Unsubscribe"]!)![1]!;
    expect((await requestWith({}, all, { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })).status).toBe(200);
    await comment("bridge", { author: "Dan", body: "Late.", parentId: String(onBridge) });
    expect(await repliesTo("ada@example.org")).toHaveLength(2);
  });

  it("mails no one who did not confirm, and tells of a held reply only once a moderator approves it", async () => {
    await publish([makePost({ slug: "harbour", title: "The harbour", date: new Date(Date.now() - DAY).toISOString() })]);
    const unconfirmed = idOf(await comment("harbour", { author: "Eve", email: "eve@example.org", notify: "1" }));
    await comment("harbour", { author: "Bob", body: "Hello Eve.", parentId: String(unconfirmed) });
    expect(await repliesTo("eve@example.org")).toHaveLength(0);
    // Without the box ticked, no confirmation is asked and nothing is sent.
    const quiet = idOf(await comment("harbour", { author: "Fay", email: "fay@example.org" }));
    await comment("harbour", { author: "Bob", body: "Hello Fay.", parentId: String(quiet) });
    expect((await mails()).filter((m) => m.to === "fay@example.org")).toHaveLength(0);

    const ada = await adaConfirmed();
    const held = await comment("harbour", { author: "Gus", body: "Held for now.", parentId: String(ada) }, { COMMENT_MODERATION: "all" });
    expect(held.headers.get("location")).toContain("comment=held");
    expect(await repliesTo("ada@example.org")).toHaveLength(0);
    const list = await requestWith({}, "/api/posts/harbour/comments?status=held", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const [waiting] = ((await list.json()) as { comments: { id: number }[] }).comments;
    const approved = await requestWith({}, `/api/posts/harbour/comments/${waiting!.id}/approve`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(approved.status).toBe(200);
    expect((await repliesTo("ada@example.org")).map((m) => m.subject)).toEqual(["Gus replied to your comment on “The harbour”"]);
  });

  it("refuses links that are not valid with a readable page", async () => {
    for (const path of ["/replies/confirm?token=nope", "/replies/stop?token=nope", "/replies/stop?token=nope&post=harbour"]) {
      const res = await requestWith({}, path);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toContain("This link is not valid");
    }
    const posted = await requestWith({}, "/replies/confirm", { method: "POST", headers: FORM, body: "token=nope" });
    expect(posted.status).toBe(400);
  });
});
