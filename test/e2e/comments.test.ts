import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_TOKEN, launchChromium, publish, startDev, type DevServer } from "./processes";

const SLUG = "the-library-that-never-closes";
let state: string;
let server: DevServer;
let browser: Browser | undefined;

const start = () =>
  startDev(state, ["--var", "COMMENT_RATE_LIMIT:0", "--var", "COMMENT_POST_LIMIT:0", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`]);

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-comments-"));
  const published = await publish("--persist-to", state);
  expect(published.code, published.output).toBe(0);
  server = await start();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

async function post(slug: string, json: unknown) {
  const res = await fetch(`${server.url}/api/posts/${slug}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function listAll(slug: string) {
  const all: any[] = [];
  let cursor = "";
  do {
    const res = await fetch(`${server.url}/api/posts/${slug}/comments?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    const body = (await res.json()) as any;
    all.push(...body.comments);
    cursor = body.meta.pagination.next ?? "";
  } while (cursor);
  return all;
}

describe("comments against wrangler dev", () => {
  it("stores 500 concurrent POSTs once each, in order, and keeps them across a restart", async () => {
    const slug = "how-we-verify-satellite-images";
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => post(slug, { author: `Reader ${i}`, body: `Comment number ${i}` })),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`500 concurrent comment POSTs through wrangler dev: ${seconds.toFixed(1)} s (${(500 / seconds).toFixed(0)} per second)`);
    expect(results.filter((r) => r.status !== 201)).toEqual([]);
    const ids = results.map((r) => r.body.comment.id as number).sort((a, b) => a - b);
    const listed = await listAll(slug);
    expect(listed.map((c) => c.id)).toEqual(ids);
    expect(new Set(listed.map((c) => c.body ?? c.author)).size).toBe(500);

    await server.stop();
    server = await start();
    const again = await listAll(slug);
    expect(again.map((c) => c.id)).toEqual(ids);
    expect(again.map((c) => c.html)).toEqual(listed.map((c) => c.html));
  });

  it("delivers a new comment to 50 WebSocket listeners", async () => {
    const wsUrl = `${server.url.replace("http", "ws")}/api/posts/${SLUG}/comments/live`;
    const listeners = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<{ ws: WebSocket; messages: any[] }>((resolve, reject) => {
            const ws = new WebSocket(wsUrl);
            const messages: any[] = [];
            ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
            ws.once("open", () => resolve({ ws, messages }));
            ws.once("error", reject);
          }),
      ),
    );
    const { body } = await post(SLUG, { author: "Broadcaster", body: "Hello, all fifty of you" });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !listeners.every((l) => l.messages.some((m) => m.type === "comment.created")))
      await new Promise((r) => setTimeout(r, 50));
    for (const { messages } of listeners) {
      const created = messages.find((m) => m.type === "comment.created");
      expect(created?.comment).toMatchObject({ id: body.comment.id, author: "Broadcaster", html: "<p>Hello, all fifty of you</p>" });
    }
    await Promise.all(
      listeners.map(
        ({ ws }) =>
          new Promise<void>((r) => {
            ws.once("close", () => r());
            ws.close(1000, "bye");
          }),
      ),
    );
  });

  it("lets a reader comment without JavaScript, and another reader sees it arrive live", async () => {
    browser = await launchChromium();
    const watcher = await browser.newPage();
    await watcher.goto(`${server.url}/posts/${SLUG}`);
    await watcher.waitForSelector('#comments[data-live="on"]', { timeout: 15_000 });

    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const writer = await noJs.newPage();
    await writer.goto(`${server.url}/posts/${SLUG}`);
    await writer.fill("#comment-author", "Offline Olga");
    await writer.fill("#comment-body", "Written with **no** JavaScript <em>at all</em>");
    await Promise.all([writer.waitForURL(/#comment-\d+$/), writer.click('#comment-form button[type="submit"]')]);
    const anchor = new URL(writer.url()).hash;
    expect(await writer.locator(`${anchor} .comment-author`).textContent()).toBe("Offline Olga");
    // Without JavaScript too: told it is there, "Edit" beside it, and the name offered again in the form.
    expect(await writer.locator(`${anchor} .notice`).textContent()).toContain("your comment is published");
    expect(await writer.locator(`${anchor} .edit-own`).count()).toBe(1);
    expect(await writer.inputValue("#comment-author")).toBe("Offline Olga");
    expect(await writer.locator(`${anchor} .comment-body`).innerHTML()).toBe(
      "<p>Written with <strong>no</strong> JavaScript &lt;em&gt;at all&lt;/em&gt;</p>",
    );

    // The watcher's page, never reloaded, now shows it.
    const live = watcher.locator(`${anchor} .comment-body`);
    await live.waitFor({ timeout: 10_000 });
    expect(await live.innerHTML()).toBe("<p>Written with <strong>no</strong> JavaScript &lt;em&gt;at all&lt;/em&gt;</p>");
    expect(await watcher.evaluate('document.querySelectorAll("#comments em").length')).toBe(0);

    // With JavaScript on, the same form works and the watcher sees that one arrive too.
    const jsWriter = await browser.newPage();
    await jsWriter.goto(`${server.url}/posts/${SLUG}`);
    await jsWriter.fill("#comment-author", "Online Omar");
    await jsWriter.fill("#comment-body", "Sent from a page with JavaScript");
    await Promise.all([jsWriter.waitForURL(/#comment-\d+$/), jsWriter.click('#comment-form button[type="submit"]')]);
    const second = new URL(jsWriter.url()).hash;
    await watcher.locator(`${second} .comment-author`).waitFor({ timeout: 10_000 });
    expect(await watcher.locator(`${second} .comment-author`).textContent()).toBe("Online Omar");
    await jsWriter.close();

    // An invalid form comes back with the message and the text kept.
    await writer.goto(`${server.url}/posts/${SLUG}`);
    await writer.fill("#comment-body", "No name given");
    await writer.evaluate('document.querySelector("#comment-author").removeAttribute("required")');
    await writer.click('#comment-form button[type="submit"]');
    expect(await writer.locator("#comment-form .error").textContent()).toContain("Your name is required");
    expect(await writer.locator("#comment-body").inputValue()).toBe("No name given");
    await noJs.close();
  });

  it("lets an admin hold back and approve comments, which then arrive live", async () => {
    const { body } = await post(SLUG, { author: "Linker", body: "https://a.example https://b.example https://c.example" });
    expect(body.moderation).toBe("held");
    const unauth = await fetch(`${server.url}/api/posts/${SLUG}/comments?status=held`);
    expect(unauth.status).toBe(401);
    const held = await fetch(`${server.url}/api/posts/${SLUG}/comments?status=held`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await held.json()) as any).comments.map((c: any) => c.id)).toContain(body.comment.id);
    const approve = await fetch(`${server.url}/api/posts/${SLUG}/comments/${body.comment.id}/approve`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(approve.status).toBe(200);
    expect((await listAll(SLUG)).map((c) => c.id)).toContain(body.comment.id);
  });
});
