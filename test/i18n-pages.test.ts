import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { CATALOGS } from "../src/core/i18n/all";
import { forgetBlogRecords } from "../src/data/blogs";
import { subscribers } from "../src/data/objects";
import worker from "../src/index";
import { asWords, decode, englishSentences } from "./catalog-text";
import { ADMIN_TOKEN, at, createBlog, makePost, publish } from "./helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const form = (host: string, path: string, fields: Record<string, string>) =>
  at(host, path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `https://${host}` },
    body: new URLSearchParams(fields).toString(),
  });

async function outbox(host: string, wanted: (m: { subject: string }) => boolean, waitMs = 10_000, why = async () => "") {
  // Mail leaves after the answer (waitUntil), or through the jobs queue: seconds on a machine busy with other tests.
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; ) {
    const res = await at(host, "/api/admin/outbox", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const messages = ((await res.json()) as { messages: { to: string; subject: string; text: string; html: string }[] }).messages;
    const found = messages.filter(wanted);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no such mail in the outbox after ${waitMs} ms ${await why()}`);
}

/** English whole (the worker's copy leaves out words English never shows). */
const en = CATALOGS.en!;

describe("every page and mail a reader meets, in the blog's language", () => {
  it.each(Object.keys(CATALOGS).filter((code) => code !== "en"))(
    "%s: no sentence of the English catalog",
    async (code) => {
      const t = CATALOGS[code]!;
      const name = `pages-${code}`;
      const host = `${name}.localhost`;
      await createBlog(name, `Blog ${code}`);
      const patched = await at(host, `/api/admin/blogs/${name}`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ language: code, timeZone: "Europe/Paris" }),
      });
      expect(patched.status).toBe(200);
      const now = Date.now();
      await publish(
        [
          makePost({
            slug: "hello",
            title: "Hello",
            date: new Date(now - 3_600_000).toISOString(),
            tags: ["world"],
            markdown: "Bonjour le monde.",
          }),
          makePost({ slug: "older", date: "2022-01-01T10:00:00.000Z" }),
        ],
        new Date(now),
        name,
      );
      const pages: [string, number][] = [
        ["/", 200],
        ["/posts/hello", 200],
        ["/posts/hello/comments", 200],
        ["/tags/world", 200],
        ["/archive", 200],
        ["/search", 200],
        ["/search?q=monde", 200],
        ["/search?q=zzzzqqq", 200],
        ["/follow", 200],
        ["/no-such-page", 404],
        ["/posts/nothing-here", 404],
        ["/subscribe/confirm?token=bad", 400],
        ["/unsubscribe?token=bad", 400],
        ["/posts/hello/comments/1/edit", 403],
      ];
      const seen: [string, string][] = [];
      for (const [path, status] of pages) {
        const res = await at(host, path);
        expect(res.status, path).toBe(status);
        seen.push([path, decode(await res.text())]);
      }
      // Forms with mistakes, and the subscription's pages.
      const badComment = await form(host, "/posts/hello/comments", { author: " ", body: "", email: "nope", parentId: "", website: "" });
      expect(badComment.status).toBe(400);
      const badCommentPage = decode(await badComment.text());
      expect(badCommentPage).toContain(t.commentErrors.nameRequired);
      expect(badCommentPage).toContain(t.commentErrors.bodyRequired);
      seen.push(["comment form errors", badCommentPage]);
      const badEmail = await form(host, "/subscribe", { email: "not an address" });
      expect(badEmail.status).toBe(400);
      seen.push(["subscribe error", decode(await badEmail.text())]);
      const subscribed = await form(host, "/subscribe", { email: `reader-${code}@example.org` });
      expect(subscribed.status).toBe(200);
      seen.push(["check your inbox", decode(await subscribed.text())]);
      const [confirmation] = await outbox(host, (m) => m.subject.includes(`Blog ${code}`));
      seen.push(["confirmation mail (text)", confirmation!.text], ["confirmation mail (HTML)", decode(confirmation!.html)]);
      expect(confirmation!.html).toContain(`lang="${code}"`);
      const token = decodeURIComponent(/subscribe\/confirm\?token=([^\s"&<]+)/.exec(confirmation!.text)![1]!);
      const confirmPage = await at(host, `/subscribe/confirm?token=${encodeURIComponent(token)}`);
      seen.push(["confirm page", decode(await confirmPage.text())]);
      const confirmed = await form(host, "/subscribe/confirm", { token });
      expect(confirmed.status).toBe(200);
      seen.push(["subscribed page", decode(await confirmed.text())]);
      // A new post, announced by the scheduled run: dated after the confirmation (a subscriber gets
      // the posts from their confirmation on; on a busy machine the test's start is seconds before it).
      const fresh = Date.now();
      await publish(
        [
          makePost({ slug: "hello", title: "Hello", date: new Date(now - 3_600_000).toISOString(), tags: ["world"] }),
          makePost({ slug: "older", date: "2022-01-01T10:00:00.000Z" }),
          makePost({ slug: "fresh", title: "Fresh", date: new Date(fresh).toISOString() }),
        ],
        new Date(fresh + 1000),
        name,
      );
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
      // The announcement goes through the jobs queue, whose consumer runs beside every other test file.
      const mailing = async () => JSON.stringify(await subscribers(env, name).sendStatus("fresh"));
      const [announcement] = await outbox(host, (m) => m.subject.startsWith("Fresh"), 20_000, mailing);
      seen.push(["announcement (text)", announcement!.text], ["announcement (HTML)", decode(announcement!.html)]);
      const unsubscribeToken = decodeURIComponent(/unsubscribe\?token=([^\s"&<]+)/.exec(announcement!.text)![1]!);
      seen.push(["unsubscribe page", decode(await (await at(host, `/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`)).text())]);
      // A JSON error keeps its code and speaks the language.
      const apiError = await at(host, "/api/posts/nothing-here");
      const body = (await apiError.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("not_found");
      expect(body.error.message).toBe(t.errors.not_found);

      const english = englishSentences(t, en);
      expect(english.length).toBeGreaterThan(60);
      for (const [where, text] of seen) {
        for (const [path, sentence] of english)
          expect(asWords(sentence).test(text), `${code} ${where}: ${path}: “${sentence}”`).toBe(false);
      }
    },
    90_000,
  );
});
