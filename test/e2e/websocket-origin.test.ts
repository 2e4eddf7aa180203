import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, freePort, launchChromium, publish, startDev, type DevServer, signInAsOperator } from "./processes";

/** Hardening II, cross-origin WebSocket: a page on another port of the same host, in a real browser with the editor's cookie. */
const SLUG = "how-we-verify-satellite-images";
let state: string;
let server: DevServer;
let other: Server;
let otherUrl: string;
let browser: Browser;

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-ws-origin-"));
  expect((await publish("--persist-to", state)).code).toBe(0);
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`]);
  // The other site: same host, another port (same-site, so a SameSite=Strict cookie still goes along).
  const port = await freePort();
  other = createServer((_, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<!DOCTYPE html><title>elsewhere</title>"));
  await new Promise<void>((done) => other.listen(port, "127.0.0.1", done));
  otherUrl = `http://127.0.0.1:${port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((done) => other?.close(done));
  await rm(state, { recursive: true, force: true });
});

/** Opens the live feed from the page's own origin and says what came of it. */
const tryLive = (page: Page, url: string) =>
  page.evaluate(
    (wsUrl) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl);
        ws.onmessage = (e) => {
          resolve(`message ${String(e.data).slice(0, 20)}`);
          ws.close();
        };
        ws.onerror = () => resolve("refused");
        setTimeout(() => resolve("timeout"), 10_000);
      }),
    url,
  );

describe("GET /api/posts/:slug/comments/live from another origin", () => {
  it("refuses a page on another port of the same host, even with the editor's cookie; the blog's own pages connect", async () => {
    const context = await browser.newContext();
    const admin = await context.newPage();
    await signInAsOperator(admin, server.url);
    expect(await admin.locator("#moderation").count()).toBe(1);

    const wsUrl = `${server.url.replace("http", "ws")}/api/posts/${SLUG}/comments/live`;
    const evil = await context.newPage();
    await evil.goto(otherUrl);
    expect(await tryLive(evil, `${wsUrl}?admin=1`)).toBe("refused");
    expect(await tryLive(evil, wsUrl)).toBe("refused");

    expect(await tryLive(admin, `${wsUrl}?admin=1`)).toBe('message {"type":"hello","cou');
    await context.close();
  });
});
