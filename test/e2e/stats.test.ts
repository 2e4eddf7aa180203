import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type DevServer, launchChromium, publish, signInAsOperator, startDev } from "./processes";

/**
 * Statistics as they run under `wrangler dev`: views counted by the worker (the in-isolate page
 * cache's hits too), batches leaving after STATS_FLUSH_SECONDS through the local queue, the
 * consumer's D1 rollups, read back by the API and by Chromium on /admin/stats at a phone's width.
 */
let state: string;
let server: DevServer;
const POST = "/posts/inside-the-grid-operators-control-room";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-stats-"));
  const result = await publish("--persist-to", state);
  expect(result.code, result.output).toBe(0);
  // The page cache on (3 s, as deployed): its answers from memory are counted too.
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "STATS_FLUSH_SECONDS:1"]);
});

afterAll(async () => {
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

const read = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { "User-Agent": BROWSER, ...headers } }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });

async function statsOnceAt(views: number) {
  const deadline = Date.now() + 60_000;
  let last: any = null;
  while (Date.now() < deadline) {
    const res = await fetch(`${server.url}/api/stats?days=7`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    last = await res.json();
    if (last.totals.views >= views) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`views never reached ${views}: ${JSON.stringify(last?.totals)}\n${server.log().slice(-3000)}`);
}

describe("statistics under wrangler dev", () => {
  it("counts readers' views (cached ones too) and not crawlers, then shows them in Chromium", async () => {
    // Five readings of the post, most of them from the page cache; one of the home page; and what is not counted.
    for (let i = 0; i < 5; i++) expect(await read(POST, { Referer: "https://news.ycombinator.com/item?id=1" })).toBe(200);
    expect(await read("/")).toBe(200);
    expect(await read(POST, { "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" })).toBe(200);
    expect(await read(POST, { DNT: "1" })).toBe(200);
    // The views not counted never entered a batch: once the six are in, that is all there is.
    const stats = await statsOnceAt(6);
    const settled = stats;
    expect(settled.totals.views).toBe(6);
    expect(stats.posts[0]).toMatchObject({ slug: "inside-the-grid-operators-control-room", views: 5 });
    expect(settled.referrers).toContainEqual({ kind: "social", host: "news.ycombinator.com", views: 5 });

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await signInAsOperator(page, server.url);
      await page.goto(`${server.url}/admin/stats?days=7`, { waitUntil: "domcontentloaded" });
      expect(await page.locator("h1").textContent()).toBe("Statistics");
      expect(await page.locator("svg.stats-chart rect").count()).toBe(7);
      expect(await page.locator(".stats-totals dd").first().textContent()).toBe("6");
      // The most read, by title, and the numbers as a table for screen readers.
      expect(
        await page.getByRole("cell", { name: "Inside the grid operator's control room on the coldest night of the year" }).count(),
      ).toBeGreaterThan(0);
      expect(await page.getByRole("table", { name: /Views per day/ }).textContent()).toContain("Visitors");
      // Designed for a phone: nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
