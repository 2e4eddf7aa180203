import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THEMES } from "../../src/core/theme";
import { ADMIN_CATALOGS, CATALOGS } from "../../src/core/i18n/all";
import { ADMIN_TOKEN, launchChromium, publish, ROOT, startDev, type DevServer, signInAsOperator } from "./processes";

const require = createRequire(import.meta.url);
const run = promisify(execFile);

let state: string;
let server: DevServer;

const PAGES = [
  "/",
  "/?page=2",
  "/posts/inside-the-grid-operators-control-room",
  "/posts/zurich-to-zaragoza-night-train-review",
  "/posts/how-we-verify-satellite-images",
  "/posts/heat-pump-sales-overtake-gas-boilers",
  "/tags/climate",
  "/archive",
  "/search?q=grid",
  "/search",
  "/follow",
  "/no-such-page",
  "/subscribe/confirm?token=bad",
  "/unsubscribe?token=bad",
  "/admin",
  "/api",
  "/posts/inside-the-grid-operators-control-room/comments",
];
/**
 * The owner's pages of a blog's life (export, backups, erasure, domain, closing, followers,
 * subscribers): Nu in every theme and language, axe in the default theme (light and dark) — their
 * parts are those of the pages above, which axe checks in every theme.
 */
const OWNER_PAGES = [
  "/admin/export",
  "/admin/backups",
  "/admin/erase",
  "/admin/domain",
  "/admin/delete",
  "/admin/followers",
  "/admin/subscribers",
];
/** Administration pages, checked signed in. */
const ADMIN_PAGES = [
  "/admin",
  "/admin/posts/new",
  "/admin/posts/heat-pump-sales-overtake-gas-boilers/edit",
  "/admin/settings",
  "/admin/people",
  "/admin/me",
  "/admin/media",
  "/admin/stats",
  ...OWNER_PAGES,
  // Signed in, a post page carries the moderation buttons (the query only tells it from the reader's copy above).
  "/posts/inside-the-grid-operators-control-room?as=moderator",
];
const ALL = [...PAGES, ...ADMIN_PAGES];
let cookie = "";

/** Changes the main blog's settings through the operator API, as the owner's settings page does. */
async function configureMain(settings: Record<string, unknown>) {
  const res = await fetch(`${server.url}/api/admin/blogs/main`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
}

/** Every check runs over every theme. */
const useTheme = (theme: string) => configureMain({ theme });

const fetchPage = (path: string) => fetch(`${server.url}${path}`, { headers: ADMIN_PAGES.includes(path) ? { Cookie: cookie } : {} });

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-quality-"));
  const result = await publish("--persist-to", state);
  expect(result.code, result.output).toBe(0);
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "PAGE_CACHE_SECONDS:0"]);
  const login = await fetch(`${server.url}/admin/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `token=${ADMIN_TOKEN}`,
    redirect: "manual",
  });
  cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  // A thread with a reply and Markdown, so the comment section is checked too.
  const post = (json: unknown) =>
    fetch(`${server.url}/api/posts/inside-the-grid-operators-control-room/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(json),
    }).then((r) => r.json() as Promise<any>);
  const first = await post({
    author: "Quality check",
    body: "Great *read*. See [the data](https://example.org/data).\n\n> quoted\n\n- a\n- b",
  });
  await post({ author: "Reply", body: "`code` and <b>tags</b>", parentId: first.comment.id });
});

/** The Nu HTML Checker's errors in `files` (page-<i>.html), each named by `named[i]`. */
async function nuErrors(files: string[], named: string[]): Promise<string[]> {
  const jar = join(ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");
  const { stdout, stderr } = await run("java", ["-jar", jar, "--format", "json", "--exit-zero-always", "--stdout", ...files], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((e) => e);
  const report = JSON.parse(stdout || stderr) as { messages: { type: string; url: string; message: string; extract?: string }[] };
  return report.messages
    .filter((m) => m.type === "error")
    .map((m) => `${named[Number(/page-(\d+)\.html/.exec(m.url)?.[1])]}: ${m.message} ${m.extract ?? ""}`);
}

const useLanguage = (language: string) => configureMain({ language });

afterAll(async () => {
  await useLanguage("en").catch(() => undefined);
  await useTheme("default").catch(() => undefined);
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

describe("HTML quality of every reader and admin page, in every theme", () => {
  it("passes the W3C Nu HTML Checker with no errors", async () => {
    const dir = join(state, "html");
    await run("mkdir", ["-p", dir]);
    const files: string[] = [];
    const named: string[] = [];
    for (const theme of THEMES) {
      await useTheme(theme);
      for (const path of ALL) {
        const res = await fetchPage(path);
        const html = await res.text();
        expect(html, `${theme} ${path}`).toContain(`theme-${theme}`);
        const file = join(dir, `page-${named.length}.html`);
        await writeFile(file, html);
        files.push(file);
        named.push(`${theme} ${path}`);
      }
    }
    expect(await nuErrors(files, named)).toEqual([]);
  });

  // One test per theme: each stays well inside the timeout when the e2e files run two at a time.
  it.each(THEMES)("has no serious or critical axe-core violations in the %s theme, in light and dark mode", async (theme) => {
    const browser = await launchChromium();
    const axe = require.resolve("axe-core/axe.min.js");
    const problems: string[] = [];
    try {
      await useTheme(theme);
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await browser.newContext({ colorScheme, bypassCSP: true });
        const page = await context.newPage();
        await signInAsOperator(page, server.url);
        for (const path of ALL) {
          if (theme !== "default" && OWNER_PAGES.includes(path)) continue;
          await page.goto(`${server.url}${path}`);
          // The post editor's rich editor (its default) is checked once it is there.
          if (path.startsWith("/admin/posts/")) await page.locator(".rich .ProseMirror").waitFor();
          await page.addScriptTag({ path: axe });
          const violations = (await page.evaluate(
            "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations" +
              ".filter(v => v.impact === 'serious' || v.impact === 'critical')" +
              ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))",
          )) as string[];
          problems.push(...violations.map((v) => `${theme} ${colorScheme} ${path}: ${v}`));
        }
        await context.close();
      }
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  });

  it("loads nothing from another origin", async () => {
    for (const path of ALL) {
      const html = await (await fetchPage(path)).text();
      const external = [...html.matchAll(/<(?:script|link|img)\b[^>]*(?:src|href)="(https?:)?\/\/[^"]*"/g)]
        .map((m) => m[0])
        .filter((tag) => !/rel="(canonical|alternate)"/.test(tag));
      expect(external, path).toEqual([]);
    }
  });

  // The reader's pages in each language: the catalogs' words, in every language's own markup; the
  // administration's in each language its person's browser asks for.
  it("stays at 0 Nu and axe errors in every language, and a French blog reads French in Chromium", async () => {
    const put = await fetch(`${server.url}/api/posts/about`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "About", type: "page", markdown: "Who writes here, and why." }),
    });
    expect(put.status).toBeLessThan(300);
    const paths = [
      "/",
      "/posts/inside-the-grid-operators-control-room",
      "/pages/about",
      "/archive",
      "/search?q=grid",
      "/follow",
      "/no-such-page",
      "/posts/inside-the-grid-operators-control-room/comments",
      "/unsubscribe?token=bad",
    ];
    const dir = join(state, "html-languages");
    await run("mkdir", ["-p", dir]);
    const files: string[] = [];
    const named: string[] = [];
    const browser = await launchChromium();
    const axe = require.resolve("axe-core/axe.min.js");
    const problems: string[] = [];
    try {
      for (const code of Object.keys(CATALOGS)) {
        await useLanguage(code);
        for (const path of paths) {
          const html = await (await fetch(`${server.url}${path}`)).text();
          expect(html, `${code} ${path}`).toContain(`<html lang="${code}"`);
          const file = join(dir, `page-${named.length}.html`);
          await writeFile(file, html);
          files.push(file);
          named.push(`${code} ${path}`);
        }
        for (const path of ADMIN_PAGES.filter((p) => p.startsWith("/admin"))) {
          const html = await (await fetch(`${server.url}${path}`, { headers: { Cookie: cookie, "Accept-Language": code } })).text();
          expect(html, `${code} ${path}`).toContain(`<html lang="${code}"`);
          const file = join(dir, `page-${named.length}.html`);
          await writeFile(file, html);
          files.push(file);
          named.push(`${code} ${path}`);
        }
        // The administration in a browser set to the language (Chromium asks for it in Accept-Language).
        const admin = await browser.newContext({ bypassCSP: true, locale: code });
        const adminPage = await admin.newPage();
        await signInAsOperator(adminPage, server.url);
        expect(await adminPage.getAttribute("html", "lang")).toBe(code);
        for (const path of ["/admin", "/admin/posts/new", "/admin/settings"]) {
          await adminPage.goto(`${server.url}${path}`);
          if (path === "/admin/posts/new") await adminPage.locator(".rich .ProseMirror").waitFor();
          await adminPage.addScriptTag({ path: axe });
          const violations = (await adminPage.evaluate(
            "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations" +
              ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ' ' + v.nodes.map(n => n.html).join(' ')))",
          )) as string[];
          problems.push(...violations.map((v) => `${code} ${path}: ${v}`));
        }
        if (code === "de") {
          // The editor's own scripts speak it too: the toolbar, from the page's words.
          await adminPage.goto(`${server.url}/admin/posts/new`);
          const toolbar = adminPage.locator(".md-toolbar");
          expect(await toolbar.getAttribute("aria-label")).toBe(ADMIN_CATALOGS.de!.client.toolbar);
          expect(await toolbar.locator("button").first().getAttribute("aria-label")).toBe(ADMIN_CATALOGS.de!.client.bold);
          // And the rich editor's.
          const rich = adminPage.locator(".rich-toolbar");
          expect(await rich.getAttribute("aria-label")).toBe(ADMIN_CATALOGS.de!.client.toolbar);
          expect(await rich.locator('button[data-tool="bold"]').getAttribute("aria-label")).toBe(ADMIN_CATALOGS.de!.client.rich.bold);
          expect(await adminPage.locator(".mode-switch").getAttribute("aria-label")).toBe(ADMIN_CATALOGS.de!.client.rich.modes);
        }
        await admin.close();
        const context = await browser.newContext({ bypassCSP: true });
        const page = await context.newPage();
        for (const path of ["/posts/inside-the-grid-operators-control-room", "/pages/about", "/follow"]) {
          await page.goto(`${server.url}${path}`);
          await page.addScriptTag({ path: axe });
          const violations = (await page.evaluate(
            "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations" +
              ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id))",
          )) as string[];
          problems.push(...violations.map((v) => `${code} ${path}: ${v}`));
        }
        if (code === "fr") {
          // What a French reader reads on the seed's post page, from the catalog (not hard-coded French).
          await page.goto(`${server.url}/posts/inside-the-grid-operators-control-room`);
          const t = CATALOGS.fr!;
          // biome-ignore lint/performance/useDomNodeTextContent: what the reader sees rendered, not hidden templates
          const text = await page.locator("body").innerText();
          for (const words of [t.post.postedOn, t.comments.title, t.nav.follow, t.subscribe.label, t.comments.submit]) {
            expect(text).toContain(words);
          }
          expect(text).not.toContain("Posted on");
          // Its menu, arranged by the owner, shows its page: in a row on a desktop, folded under "Menu" on a phone (no script).
          await configureMain({
            menu: [
              { label: "À propos", href: "/pages/about" },
              { label: "Archives", href: "/archive" },
            ],
          });
          await page.setViewportSize({ width: 1280, height: 800 });
          await page.goto(`${server.url}/`);
          const about = page.locator(".site-nav a", { hasText: "À propos" });
          expect(await about.isVisible()).toBe(true);
          expect(await page.locator(".site-nav summary").isVisible()).toBe(false);
          await page.setViewportSize({ width: 375, height: 800 });
          await page.goto(`${server.url}/`);
          expect(await about.isVisible()).toBe(false);
          await page.locator(".site-nav summary").click();
          expect(await about.isVisible()).toBe(true);
          await Promise.all([page.waitForURL(`${server.url}/pages/about`), about.click()]);
          expect(await page.locator("h1").textContent()).toBe("About");
          await configureMain({ menu: null });
        }
        await context.close();
      }
    } finally {
      await browser.close();
      await useLanguage("en");
    }
    expect(problems).toEqual([]);
    expect(await nuErrors(files, named)).toEqual([]);
  });
});
