import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accentPalette, THEMES } from "../../src/core/theme";
import { ADMIN_TOKEN, launchChromium, publish, ROOT, startDev, type DevServer, signInAsOperator } from "./processes";

/**
 * The look in a real browser: switching a blog's theme and accent colour in its settings, and
 * every theme's pages at 375 and 1280 px (no horizontal scrolling, nothing from another origin,
 * the largest paint in the first HTML), with screenshots in .tmp/screenshots/ for review.
 */
let state: string;
let server: DevServer;
const SHOTS = join(ROOT, ".tmp", "screenshots");
const PAGES = [
  ["home", "/"],
  ["post", "/posts/inside-the-grid-operators-control-room"],
  ["cover-post", "/posts/the-library-that-never-closes"],
  ["tag", "/tags/climate"],
  ["search", "/search?q=grid"],
  ["follow", "/follow"],
  ["archive", "/archive"],
  ["api", "/api"],
  ["admin", "/admin"],
  ["editor", "/admin/posts/heat-pump-sales-overtake-gas-boilers/edit"],
  ["settings", "/admin/settings"],
] as const;

const setTheme = (theme: string, extra: Record<string, unknown> = {}) =>
  fetch(`${server.url}/api/admin/blogs/main`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ theme, accent: null, ...extra }),
  });

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-look-"));
  await mkdir(SHOTS, { recursive: true });
  const result = await publish("--persist-to", state);
  expect(result.code, result.output).toBe(0);
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "PAGE_CACHE_SECONDS:0"]);
  await fetch(`${server.url}/api/posts/inside-the-grid-operators-control-room/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ author: "Reader", body: "A *thoughtful* piece." }),
  });
});

afterAll(async () => {
  await setTheme("default").catch(() => undefined);
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

async function signedInContext(browser: Awaited<ReturnType<typeof launchChromium>>, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signInAsOperator(page, server.url);
  return { context, page };
}

describe("themes in a real browser", () => {
  it("switches the blog's theme and accent colour in the settings, and readers get them", async () => {
    const browser = await launchChromium();
    try {
      const { page } = await signedInContext(browser, 1280);
      await page.goto(`${server.url}/admin/settings`);
      await page.selectOption("#set-theme", "newspaper");
      // The picker fills the field, and the contrast report follows it before anything is saved.
      await page.fill("#set-accent-picker", "#ffee00");
      expect(await page.inputValue("#set-accent")).toBe("#ffee00");
      await page.waitForFunction(() => document.getElementById("accent-report")?.textContent?.includes("darkened to stay readable"));
      await page.fill("#set-accent", "#aa3300");
      expect(await page.inputValue("#set-accent-picker")).toBe("#aa3300");
      await Promise.all([
        page.waitForURL(/\/admin\/settings\?saved=1$/),
        page.click('form[action="/admin/settings"] button[type="submit"]'),
      ]);
      expect(await page.locator(".notice").textContent()).toContain("Saved");

      const reader = await browser.newContext({ colorScheme: "light" });
      const home = await reader.newPage();
      await home.goto(`${server.url}/`);
      expect(await home.locator("body").getAttribute("class")).toBe("theme-newspaper");
      const look = await home.evaluate(async () => {
        await document.fonts.ready;
        const link = document.querySelector(".card h2 a") as HTMLElement;
        return {
          accent: getComputedStyle(document.querySelector(".subscribe-cta") as HTMLElement).backgroundColor,
          headline: getComputedStyle(link).fontFamily,
          playfair: document.fonts.check('700 2rem "Playfair Display"'),
          fonts: performance
            .getEntriesByType("resource")
            .filter((r) => r.name.includes("/fonts/"))
            .map((r) => new URL(r.name).origin),
        };
      });
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(accentPalette("#aa3300").light.slice(i, i + 2), 16));
      expect(look.accent).toBe(`rgb(${r}, ${g}, ${b})`);
      expect(look.headline).toContain("Playfair Display");
      expect(look.playfair).toBe(true);
      expect(look.fonts.length).toBeGreaterThan(0);
      expect(new Set(look.fonts)).toEqual(new Set([new URL(server.url).origin]));
      await reader.close();
    } finally {
      await browser.close();
    }
  });

  it("lays out every page of every theme at 375 and 1280 px, loading nothing from elsewhere, and saves screenshots", async () => {
    const browser = await launchChromium();
    const origin = new URL(server.url).origin;
    const problems: string[] = [];
    const saved: string[] = [];
    try {
      for (const theme of THEMES) {
        expect((await setTheme(theme)).status).toBe(200);
        for (const width of [375, 1280]) {
          const { context, page } = await signedInContext(browser, width);
          const foreign: string[] = [];
          page.on("request", (req) => {
            if (new URL(req.url()).origin !== origin) foreign.push(req.url());
          });
          for (const [name, path] of PAGES) {
            await page.goto(`${server.url}${path}`);
            expect(await page.locator("body").getAttribute("class"), `${theme} ${path}`).toContain(`theme-${theme}`);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            if (overflow > 0) problems.push(`${theme} ${width}px ${path}: ${overflow}px of horizontal scroll`);
            if (name === "admin" || name === "editor" || name === "settings") {
              // One primary (filled) button per administration screen; links styled as buttons included.
              const filled = await page.evaluate(() =>
                Array.from(document.querySelectorAll<HTMLElement>("button, a.button"))
                  .filter((el) => el.offsetParent !== null && getComputedStyle(el).backgroundColor !== "rgba(0, 0, 0, 0)")
                  .map((el) => el.textContent?.trim()),
              );
              if (filled.length !== 1) problems.push(`${theme} ${width}px ${path}: ${filled.length} filled buttons (${filled.join(", ")})`);
            }
            const file = join(SHOTS, `${theme}-${name}-${width}.png`);
            await page.screenshot({ path: file, fullPage: true });
            saved.push(file);
          }
          // The largest paint of a post page is its title or cover, in the HTML the server sent.
          await page.goto(`${server.url}/posts/the-library-that-never-closes`);
          const lcp = await page.evaluate(
            () =>
              new Promise<string>((done) => {
                new PerformanceObserver((list) => {
                  const el = list.getEntries().at(-1) as unknown as { element: Element | null };
                  done(el.element ? `${el.element.tagName.toLowerCase()}.${el.element.className}` : "none");
                }).observe({ type: "largest-contentful-paint", buffered: true });
              }),
          );
          if (!["h1.", "img.cover"].includes(lcp) && !lcp.startsWith("p.")) problems.push(`${theme} ${width}px: largest paint is ${lcp}`);
          if (foreign.length) problems.push(`${theme} ${width}px: loaded ${foreign.join(", ")}`);
          await context.close();
        }
      }
    } finally {
      await browser.close();
    }
    console.log(`${saved.length} screenshots in .tmp/screenshots/`);
    expect(problems).toEqual([]);
    expect(saved).toHaveLength(THEMES.length * 2 * PAGES.length);
  });
});
