import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudflareStandIn, TOKEN, ZONE } from "../setup/cloudflare-api";
import { ADMIN_TOKEN, BOTH_WORKERS, type DevServer, launchChromium, requestAt, signInAsOperator, startDev } from "./processes";

/**
 * What an owner does with their blog under `wrangler dev`: brings their own domain (Cloudflare for
 * SaaS, its API a stand-in answering as Cloudflare documents it) in Chromium, and erases a reader's
 * data on request through the API, the jobs queue doing the work.
 */
let work: string;
let server: (DevServer & { port: number }) | undefined;
let standin: Awaited<ReturnType<typeof startCloudflareStandIn>>;
const BLOG = "atelier";
const HOST = `${BLOG}.localhost`;
const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
const api = (host: string, path: string, method = "GET", body?: unknown) =>
  requestAt(server!.port, host, path, { method, headers: OPERATOR, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-own-"));
  standin = await startCloudflareStandIn();
  // The federation worker beside, as deployed: it runs erasures' steps (its Backups entrypoint).
  server = await startDev(join(work, "state"), [
    ...BOTH_WORKERS,
    "--var",
    `ADMIN_TOKEN:${ADMIN_TOKEN}`,
    "--var",
    "PAGE_CACHE_SECONDS:0",
    "--var",
    `CF_API_BASE:${standin.url}/client/v4`,
    "--var",
    `CF_ZONE_ID:${ZONE}`,
    "--var",
    `CF_API_TOKEN:${TOKEN}`,
    "--var",
    "CUSTOM_DOMAIN_TARGET:domains.platform.example",
  ]);
  expect(
    (
      await requestAt(server.port, "localhost", "/api/admin/blogs", {
        method: "POST",
        headers: OPERATOR,
        body: JSON.stringify({ name: BLOG, title: "Atelier" }),
      })
    ).status,
  ).toBe(201);
  const saved = await api(HOST, "/api/posts/bonjour", "PUT", {
    title: "Bonjour",
    date: new Date(Date.now() - 3_600_000).toISOString(),
    markdown: "Premier billet.",
  });
  expect(saved.status, saved.body).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await standin?.close();
  await rm(work, { recursive: true, force: true });
});

describe("an owner's own blog", () => {
  it("brings their own domain in Chromium: the records to create, then the blog served there and the subdomain redirecting", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const base = `http://${HOST}:${server!.port}`;
      await signInAsOperator(page, base);
      await page.goto(`${base}/admin/settings`);
      await Promise.all([page.waitForURL(`${base}/admin/domain`), page.click('a[href="/admin/domain"]')]);
      await page.fill("#domain-host", "journal.example.org");
      await page.click('form[action="/admin/domain"] button[type="submit"]');
      await page.waitForSelector('[data-domain-status="pending"]');
      const rows = await page.locator("table tbody tr").allInnerTexts();
      expect(rows[0]).toMatch(/CNAME\s+journal\.example\.org\s+domains\.platform\.example/);
      expect(rows.join("\n")).toContain("_cf-custom-hostname.journal.example.org");
      // No horizontal scroll at a phone's width: the records table scrolls in its own box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // The owner creates the records; Cloudflare validates them; "Check now".
      const { domain } = JSON.parse((await api(HOST, "/api/domain")).body) as { domain: { id: string } };
      await fetch(`${standin.url}/_standin/${domain.id}/active`, { method: "POST" });
      await page.click('form[action="/admin/domain/check"] button');
      await page.waitForSelector('[data-domain-status="active"]');
    } finally {
      await browser.close();
    }
    const there = await requestAt(server!.port, "journal.example.org", "/posts/bonjour");
    expect(there.status).toBe(200);
    expect(there.body).toContain("Premier billet.");
    const moved = await requestAt(server!.port, HOST, "/posts/bonjour");
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe("http://journal.example.org/posts/bonjour");
  });

  it("erases a reader's data on request: their comment kept as a former reader, their subscription gone", async () => {
    const host = "journal.example.org";
    const commented = await requestAt(server!.port, host, "/api/posts/bonjour/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Zoé", body: "Merci pour ce billet.", email: "zoe@example.net" }),
    });
    expect(commented.status, commented.body).toBe(201);
    expect(
      (
        await requestAt(server!.port, host, "/api/subscribe", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email: "zoe@example.net" }),
        })
      ).status,
    ).toBe(202);
    const started = await api(host, "/api/erasure", "POST", { email: "zoe@example.net", comments: "anonymize" });
    expect(started.status, started.body).toBe(202);
    const { id } = JSON.parse(started.body).erasure as { id: string };
    let done: any = null;
    for (let i = 0; i < 120 && done?.status !== "done"; i++) {
      done = JSON.parse((await api(host, `/api/erasure/${id}`)).body).erasure;
      if (done.status !== "done") await new Promise((r) => setTimeout(r, 250));
    }
    expect(done).toMatchObject({ status: "done", anonymized: 1, subscriber: true });
    const page = await requestAt(server!.port, host, "/posts/bonjour");
    expect(page.body).toContain("A former reader");
    expect(page.body).not.toContain("Zoé");
    expect((await api(host, "/admin/subscribers.csv")).body).not.toContain("zoe@example.net");
  });
});
