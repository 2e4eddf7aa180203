import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWxr } from "../../scripts/import/wxr";
import { readZip } from "../../src/core/zip";
import { PNG } from "../fixtures/images";
import {
  ADMIN_TOKEN,
  BOTH_WORKERS,
  type DevServer,
  importFixture,
  launchChromium,
  publish,
  requestAt,
  run,
  signInAsOperator,
  startDev,
} from "./processes";

/**
 * The way out, end to end under `wrangler dev`: a blog imported from WordPress, then written in
 * (a post saved through the API with an uploaded image, a reader's comment), is exported (the jobs
 * queue's steps, R2), downloaded, taken back by `npm run import -- export.zip` and published as
 * another blog — whose every post page, comment thread, image and old URL are the first one's.
 * Chromium starts an export on /admin/export and downloads it.
 */
let work: string;
let state: string;
let server: (DevServer & { port: number }) | undefined;
const FROM = "carnets";
const TO = "copie";
const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };

const api = (host: string, path: string, method = "GET", body?: unknown) =>
  requestAt(server!.port, host, path, { method, headers: OPERATOR, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Bytes over HTTP with a Host header (Node's fetch drops it). */
function bytesAt(host: string, path: string): Promise<{ status: number; type: string | undefined; bytes: Buffer }> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: server!.port, path, headers: { host: `${host}:${server!.port}`, Authorization: OPERATOR.Authorization } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => done({ status: res.statusCode ?? 0, type: res.headers["content-type"], bytes: Buffer.concat(chunks) }));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

async function createBlog(name: string, title: string) {
  const created = await requestAt(server!.port, "localhost", "/api/admin/blogs", {
    method: "POST",
    headers: OPERATOR,
    body: JSON.stringify({ name, title }),
  });
  expect(created.status, created.body).toBe(201);
}

/** An export of FROM, made through the API and waited for. */
async function exportOf(host: string): Promise<{ id: string; download: string; counts: Record<string, number> }> {
  const started = await api(host, "/api/export", "POST");
  expect(started.status, started.body).toBe(202);
  const { id } = JSON.parse(started.body).export as { id: string };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const now = JSON.parse((await api(host, `/api/export/${id}`)).body).export;
    if (now.status === "ready") return now;
    expect(now.status).toBe("running");
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the export did not finish:\n${server!.log().slice(-3000)}`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-export-"));
  state = join(work, "state");
  // The federation worker runs beside the reader, as deployed: it builds the exports (its Exporter entrypoint).
  server = await startDev(state, [...BOTH_WORKERS, "--test-scheduled", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`]);
  // Both blogs have the same title, so that their pages can be compared whole.
  await createBlog(FROM, "Carnets de route");
  await createBlog(TO, "Carnets de route");
  const imported = await importFixture(FROM, join(work, "from"));
  expect(imported.code, imported.output).toBe(0);
  const published = await publish("--blog", FROM, "--posts", join(work, "from"), "--persist-to", state);
  expect(published.code, published.output).toBe(0);
});

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("export, import, publish", () => {
  const host = `${FROM}.localhost`;
  const copy = `${TO}.localhost`;
  let slugs: string[] = [];

  it("gives back a blog equal to the exported one: pages, comment threads, images, old URLs", async () => {
    // Written after the import: an image uploaded, a post saved through the API, a reader's comment.
    const image = await new Promise<string>((done, fail) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: server!.port,
          path: "/api/media",
          method: "POST",
          headers: {
            host: `${host}:${server!.port}`,
            Authorization: OPERATOR.Authorization,
            "Content-Type": "image/png",
            "Content-Length": PNG.length,
          },
        },
        (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d));
          res.on("end", () => (res.statusCode === 201 ? done(JSON.parse(body).media.url) : fail(new Error(`${res.statusCode} ${body}`))));
        },
      );
      req.end(Buffer.from(PNG));
    });
    const saved = await api(host, "/api/posts/ecrit-ici", "PUT", {
      title: "Écrit ici",
      date: new Date(Date.now() - 3_600_000).toISOString(),
      markdown: `Une photo du quai :\n\n![Le quai](${image})\n\nEt du \`code\`.`,
      tags: ["Voyage"],
      cover: image,
    });
    expect(saved.status, saved.body).toBe(201);
    const commented = await api(host, "/api/posts/ecrit-ici/comments", "POST", { author: "Lectrice", body: "Très *beau* quai." });
    expect(commented.status, commented.body).toBe(201);

    const done = await exportOf(host);
    expect(done.counts.posts).toBeGreaterThan(3);
    const zip = await bytesAt(host, new URL(done.download).pathname + new URL(done.download).search);
    expect(zip.status).toBe(200);
    expect(zip.type).toBe("application/zip");
    const file = join(work, "carnets.zip");
    await writeFile(file, zip.bytes);

    // WordPress's importer reads the WXR: the project's own WXR reader (the structure it parses) finds every post and comment.
    const wxr = readZip(new Uint8Array(zip.bytes), () => new Uint8Array()).find((f) => f.name === "wordpress.xml")!;
    const read = readWxr(new TextDecoder().decode(wxr.bytes));
    expect(read.posts.length).toBe(done.counts.posts);
    expect(read.posts.reduce((n, p) => n + p.comments.length, 0)).toBe(done.counts.comments);

    const into = join(work, "into");
    const imported = await run("npm", ["run", "--silent", "import", "--", file, "--blog", TO, "--posts", into]);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toContain("an export of this platform");
    const published = await publish("--blog", TO, "--posts", into, "--persist-to", state);
    expect(published.code, published.output).toBe(0);

    // Every post and page, read as a reader: the same page on both blogs but for the blog's address.
    const list = JSON.parse((await api(host, "/api/posts?limit=100")).body) as { posts: { slug: string }[] };
    slugs = list.posts.map((p) => p.slug);
    expect(slugs).toContain("ecrit-ici");
    const same = (html: string, blog: string) =>
      html
        .replaceAll(`${blog}.localhost:${server!.port}`, "HOST")
        .replace(/nonce="[^"]+"/g, 'nonce=""')
        .replace(/\/ap\/users\/[a-z]+/g, "/ap/users/NAME")
        .replace(/@[a-z]+@HOST/g, "@NAME@HOST");
    for (const slug of [...slugs, "a-propos"]) {
      const path = slug === "a-propos" ? "/pages/a-propos" : `/posts/${slug}`;
      const [a, b] = [await requestAt(server!.port, host, path), await requestAt(server!.port, copy, path)];
      expect(b.status, path).toBe(a.status);
      expect(same(b.body, TO), path).toBe(same(a.body, FROM));
      const threadA = JSON.parse((await requestAt(server!.port, host, `/api/posts/${slug}/comments`)).body);
      const threadB = JSON.parse((await requestAt(server!.port, copy, `/api/posts/${slug}/comments`)).body);
      const shape = (t: any) =>
        (t.comments ?? []).map((c: any) => [c.author, c.authorUrl ?? null, c.createdAt, JSON.stringify(c.doc ?? c.body)]);
      expect(shape(threadB), `${slug}'s comments`).toEqual(shape(threadA));
    }
    // The image, byte for byte, at the same address; the old URLs, to the same posts.
    const [imgA, imgB] = [await bytesAt(host, image), await bytesAt(copy, image)];
    expect(imgB.status).toBe(200);
    expect(imgB.bytes.equals(imgA.bytes)).toBe(true);
    for (const old of ["/2022/01/21/hello-world/", "/?p=101", "/2022/01/mon-article.html"]) {
      const [a, b] = [await requestAt(server!.port, host, old), await requestAt(server!.port, copy, old)];
      expect(a.status, old).toBe(301);
      expect(b.status, old).toBe(301);
      expect(b.headers.location, old).toBe(a.headers.location);
    }
  });

  it("is started and downloaded by its owner in Chromium", async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const base = `http://${host}:${server!.port}`;
      await signInAsOperator(page, base);
      await page.goto(`${base}/admin/export`);
      await Promise.all([page.waitForURL(`${base}/admin/export?started`), page.click('button[type="submit"]')]);
      const link = page.locator("a[download]").first();
      for (let i = 0; i < 120 && !(await page.locator('li[data-status="ready"]').count()); i++) {
        await page.waitForTimeout(500);
        await page.reload();
      }
      expect(await page.locator('li[data-status="ready"]').count()).toBeGreaterThan(0);
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(download.suggestedFilename()).toMatch(/^carnets-\d{4}-\d\d-\d\d\.zip$/);
      const saved = join(work, "chromium.zip");
      await download.saveAs(saved);
      const names = readZip(new Uint8Array(await readFile(saved)), () => new Uint8Array()).map((f) => f.name);
      expect(names).toEqual(
        expect.arrayContaining(["posts/ecrit-ici.md", "settings.json", "subscribers.csv", "wordpress.xml", "posts/redirects.txt"]),
      );
    } finally {
      await browser.close();
    }
  });
});

/** Backups under `wrangler dev`: the night's cron (its own trigger) backs the blog up; its owner restores in Chromium, on a phone's width. */
describe("nightly backups", () => {
  const host = `${FROM}.localhost`;

  async function pointsOf(n: number): Promise<{ id: string; label: string }[]> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { points } = JSON.parse((await api(host, "/api/backups")).body) as { points: { id: string; label: string }[] };
      if (points.length >= n) return points;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`no backup point:\n${server!.log().slice(-3000)}`);
  }

  it("are made by the nightly cron, and restored by the owner in Chromium at 390 px", async () => {
    const put = (title: string) =>
      api(host, "/api/posts/sauvegarde", "PUT", {
        title,
        date: new Date(Date.now() - 3_600_000).toISOString(),
        markdown: `${title}, the text.`,
      });
    expect((await put("Before the night")).status).toBe(201);
    const kept = await api(host, "/api/posts/sauvegarde/comments", "POST", { author: "Veilleur", body: "Kept by the night." });
    expect(kept.status, kept.body).toBe(201);
    const cron = await requestAt(server!.port, "localhost", `/__scheduled?cron=${encodeURIComponent("30 2 * * *")}`, {});
    expect(cron.status, cron.body).toBe(200);
    const [point] = await pointsOf(1);
    expect(point!.label).toBe("nightly");
    expect((await put("Ruined in the morning")).status).toBe(200);
    const keptId = JSON.parse(kept.body).comment.id;
    expect((await api(host, `/api/posts/sauvegarde/comments/${keptId}`, "DELETE")).status).toBe(204);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const base = `http://${host}:${server!.port}`;
      await signInAsOperator(page, base);
      await page.goto(`${base}/admin/backups`);
      expect(await page.locator(`li[data-point="${point!.id}"]`).count()).toBe(1);
      await page.fill("#restore-slug", "sauvegarde");
      await Promise.all([page.waitForLoadState("domcontentloaded"), page.click('button[value="post"]')]);
      expect(await page.locator("p.notice, [role=status]").first().textContent()).toContain("is back as it was on");
      // Designed for a phone: nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.goto(`${base}/posts/sauvegarde`);
      expect(await page.locator("h1").first().textContent()).toContain("Before the night");

      // The comments, while a reader has the post open: their page follows without a reload.
      const reader = await browser.newPage();
      await reader.goto(`${base}/posts/sauvegarde`);
      await reader.waitForSelector('#comments[data-live="on"]');
      expect(await reader.locator(".comment-list").textContent()).not.toContain("Kept by the night.");
      await page.goto(`${base}/admin/backups`);
      await page.fill("#restore-slug", "sauvegarde");
      await Promise.all([page.waitForLoadState("domcontentloaded"), page.click('button[value="comments"]')]);
      await reader.locator(".comment-list", { hasText: "Kept by the night." }).waitFor({ timeout: 10_000 });
      expect(await reader.locator(".comment-count").textContent()).toContain("1 comment");

      // The whole blog, confirmed by its name; the page follows the restore until it is done.
      await page.goto(`${base}/admin/backups`);
      await page.fill("#restore-confirm", FROM);
      await Promise.all([page.waitForLoadState("domcontentloaded"), page.click('button[value="blog"]')]);
      for (let i = 0; i < 120 && !(await page.locator('[data-restore="done"]').count()); i++) {
        await page.waitForTimeout(500);
        await page.goto(`${base}/admin/backups`);
      }
      expect(await page.locator('[data-restore="done"]').count()).toBe(1);
      expect((await pointsOf(2)).map((p) => p.label)).toContain("before-restore");
    } finally {
      await browser.close();
    }
  });
});
