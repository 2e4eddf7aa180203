import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromZonedInput, toZonedInput } from "../../src/core/dates";
import { PNG, pngVariant } from "../fixtures/images";
import { ADMIN_TOKEN, launchChromium, publish, ROOT, startDev, type DevServer, signInAsOperator } from "./processes";

const TZ = "Pacific/Auckland";
let work: string;
let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-editor-"));
  const state = join(work, "state");
  const first = await publish("--posts", join(ROOT, "posts"), "--persist-to", state);
  expect(first.code, first.output).toBe(0);
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "PAGE_CACHE_SECONDS:0", "--var", `TIMEZONE:${TZ}`]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

/** A page signed in as the operator, its editor in Markdown (these tests type Markdown) unless told otherwise. */
async function signedIn(mode: "markdown" | "rich" = "markdown", options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  // The operator's choice as the switch keeps it (a cookie on this browser).
  if (mode === "markdown")
    await context.addCookies([
      { name: "__Host-edge_editor", value: "markdown", domain: new URL(server.url).hostname, path: "/", secure: true },
    ]);
  const page = await context.newPage();
  await signInAsOperator(page, server.url);
  return page;
}

const status = async (path: string) => (await fetch(`${server.url}${path}`)).status;

describe("the editor in a real browser", () => {
  it("writes a post with a pasted image and a live preview, schedules it in the blog's time zone and sees it appear", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/admin/posts/new`);
    await page.fill("#ed-title", "Night trains are back, à la carte");
    // The slug follows the title.
    expect(await page.inputValue("#ed-slug")).toBe("night-trains-are-back-a-la-carte");
    await page.fill("#ed-markdown", "Sleeper services **return** this winter.\n\n");
    await page.waitForFunction(() => document.querySelector("#preview .post-body")?.innerHTML.includes("<strong>return</strong>"));

    // Paste an image as a browser does from the clipboard.
    await page.focus("#ed-markdown");
    await page.evaluate(
      (bytes) => {
        const area = document.querySelector<HTMLTextAreaElement>("#ed-markdown")!;
        area.setSelectionRange(area.value.length, area.value.length);
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "route-map.png", { type: "image/png" }));
        area.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      [...PNG],
    );
    await page.waitForFunction(() =>
      /!\[route map\]\(\/media\/[0-9a-f]{20}\.png\)/.test(document.querySelector<HTMLTextAreaElement>("#ed-markdown")!.value),
    );
    const img = page.locator('#preview .post-body img[src^="/media/"]');
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('#preview img[src^="/media/"]')?.naturalWidth ?? 0) > 0);
    const src = (await img.getAttribute("src"))!;
    // Two more at once: each its own figure, and the caret back in the text after them.
    await page.evaluate(
      (bytes) => {
        const area = document.querySelector<HTMLTextAreaElement>("#ed-markdown")!;
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "quay-one.png", { type: "image/png" }));
        data.items.add(new File([new Uint8Array(bytes)], "quay-two.png", { type: "image/png" }));
        area.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      [...PNG],
    );
    await page.waitForFunction(() => document.querySelectorAll("#preview .post-body figure img").length === 3);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ed-markdown");
    await page.keyboard.type("After the quays.");
    const text = await page.inputValue("#ed-markdown");
    expect(text.trimEnd().endsWith(`![quay two](${src})\n\nAfter the quays.`)).toBe(true);
    // Each inserted image asks for a description, beside the status line; it goes into the text and the library.
    expect(await page.inputValue("#ed-alt")).toBe("quay two");
    await page.fill("#ed-alt", "The harbour at dawn");
    await page.click("text=Save the description");
    await page.waitForFunction(() =>
      document.querySelector<HTMLTextAreaElement>("#ed-markdown")!.value.includes("![The harbour at dawn]("),
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ed-markdown");
    // The library has it once its answer is in.
    let described: string | null | undefined;
    for (let i = 0; i < 50 && described !== "The harbour at dawn"; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      const library = (await (await fetch(`${server.url}/api/media`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as {
        media: { url: string; alt: string | null }[];
      };
      described = library.media.find((m) => m.url === src)?.alt;
    }
    expect(described).toBe("The harbour at dawn");
    const served = await fetch(`${server.url}${src}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    // Schedule it 20 seconds from now, typed as the blog's clock in Auckland shows it.
    const when = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
    const local = toZonedInput(when.toISOString(), TZ);
    expect(fromZonedInput(local, TZ)).toBe(when.toISOString());
    expect(await page.textContent('label[for="ed-date"]')).toBe(`Publication date and time (${TZ})`);
    await page.fill("#ed-date", local.length === 16 ? `${local}:00` : local);
    await Promise.all([page.waitForURL(/saved=scheduled/), page.click('button[value="schedule"]')]);
    expect(await page.textContent(".badge")).toContain("Scheduled for");
    expect(await page.textContent(".post-state")).toContain(`(${TZ})`);
    expect(await status("/posts/night-trains-are-back-a-la-carte")).toBe(404);

    // It appears on its own when its time comes.
    const deadline = Date.now() + 60_000;
    while ((await status("/posts/night-trains-are-back-a-la-carte")) !== 200) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const html = await (await fetch(`${server.url}/posts/night-trains-are-back-a-la-carte`)).text();
    expect(html).toContain(`src="${src}"`);
  }, 120_000);

  it("uploads a chosen cover and a dropped image, and lists them in the media library with their use", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/admin/posts/how-we-verify-satellite-images/edit`);
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click("text=Upload a cover…")]);
    await chooser.setFiles({ name: "cover.png", mimeType: "image/png", buffer: Buffer.from(pngVariant(3)) });
    await page.waitForFunction(() => /^\/media\/[0-9a-f]{20}\.png$/.test(document.querySelector<HTMLInputElement>("#ed-cover")!.value));
    const cover = await page.inputValue("#ed-cover");

    const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
    await page.evaluate(
      (bytes) => {
        const area = document.querySelector<HTMLTextAreaElement>("#ed-markdown")!;
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "dropped-dot.gif", { type: "image/gif" }));
        area.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [...gif],
    );
    await page.waitForFunction(() =>
      /!\[dropped dot\]\(\/media\/[0-9a-f]{20}\.gif\)/.test(document.querySelector<HTMLTextAreaElement>("#ed-markdown")!.value),
    );
    await Promise.all([page.waitForURL(/saved=updated/), page.click('button[value="publish"]')]);

    await page.goto(`${server.url}/admin/media`);
    const item = page.locator(`[id="media-${cover.slice("/media/".length)}"]`);
    expect(await item.textContent()).toContain("cover.png");
    expect(await item.locator('a[href="/admin/posts/how-we-verify-satellite-images/edit"]').count()).toBe(1);
    // In use: deleting it is refused, naming the post.
    await item.locator("button").click();
    expect(await page.textContent(".error")).toContain("(/posts/how-we-verify-satellite-images)");
    const og = await (await fetch(`${server.url}/posts/how-we-verify-satellite-images`)).text();
    expect(og).toContain(`<meta property="og:image" content="${server.url}${cover}"/>`);
  });

  it("updates a published post without unpublishing it, and keeps the earlier version", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/admin/posts/the-library-that-never-closes/edit`);
    expect(await page.locator('button[value="draft"]').textContent()).toBe("Unpublish");
    await page.fill("#ed-summary", "Open all night, every night.");
    await Promise.all([page.waitForURL(/saved=updated/), page.click('button[value="publish"]')]);
    expect(await page.textContent(".notice")).toBe("Updated. Readers see the new version now.");
    expect(await page.textContent(".badge")).toContain("Published");
    expect(await status("/posts/the-library-that-never-closes")).toBe(200);
    const api = (await (await fetch(`${server.url}/api/posts/the-library-that-never-closes`)).json()) as { post: { summary: string } };
    expect(api.post.summary).toBe("Open all night, every night.");
    expect(await page.locator(".revisions li").count()).toBe(1);
  });

  it("deletes with a confirmation, then restores from the trash", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/admin/posts/heat-pump-sales-overtake-gas-boilers/edit`);
    await page.click('button[value="confirm-delete"]');
    expect(await page.textContent("h1")).toContain("Delete “");
    expect(await status("/posts/heat-pump-sales-overtake-gas-boilers")).toBe(200);
    await Promise.all([page.waitForURL(/\/admin\?deleted=/), page.click('button[value="delete"]')]);
    expect(await page.textContent(".notice")).toContain("to the trash");
    expect(await status("/posts/heat-pump-sales-overtake-gas-boilers")).toBe(404);
    await Promise.all([
      page.waitForURL(/saved=restored/),
      page.click('form[action="/admin/trash/heat-pump-sales-overtake-gas-boilers"] button[value="restore"]'),
    ]);
    expect(await page.textContent(".notice")).toBe("Restored from the trash.");
    expect(await status("/posts/heat-pump-sales-overtake-gas-boilers")).toBe(200);
  });

  it("keeps unsaved changes in the browser and offers them back after a reload", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/admin/posts/the-library-that-never-closes/edit`);
    await page.fill("#ed-markdown", "A draft in progress that was never saved.");
    await page.waitForSelector(".autosave-status:not([hidden])");
    await page.reload();
    await page.click(".autosave-offer button >> text=Restore them");
    expect(await page.inputValue("#ed-markdown")).toBe("A draft in progress that was never saved.");
  });

  it("hides a published comment from the post page, live for readers", async () => {
    const posted = await fetch(`${server.url}/api/posts/the-library-that-never-closes/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.7.7.7" },
      body: JSON.stringify({ author: "Troll", body: "Something regrettable." }),
    });
    const id = ((await posted.json()) as { comment: { id: number } }).comment.id;
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${server.url}/posts/the-library-that-never-closes`);
    await reader.waitForSelector('#comments[data-live="on"]', { state: "attached", timeout: 15_000 });
    expect(await reader.locator(`#comment-${id}`).count()).toBe(1);

    const page = await signedIn();
    await page.goto(`${server.url}/posts/the-library-that-never-closes`);
    // A published comment offers Hide and Delete; its Approve button is hidden (the hidden attribute
    // must win over the stylesheet's display for buttons).
    const buttons = page.locator(`#comment-${id} .moderation-form button`);
    expect(await buttons.evaluateAll((all) => all.filter((b) => b.checkVisibility()).map((b) => (b as HTMLButtonElement).value))).toEqual([
      "hide",
      "delete",
    ]);
    await Promise.all([
      page.waitForURL(/\/posts\/the-library-that-never-closes/),
      page.click(`#comment-${id} .moderation-form button[value="hide"]`),
    ]);
    expect(await page.locator(`#comment-${id}`).count()).toBe(0);
    await reader.locator(`#comment-${id}`).waitFor({ state: "detached", timeout: 10_000 });
  });

  it("lets a commenter edit their own comment for 15 minutes, and readers see (edited) live", async () => {
    const watcher = await (await browser.newContext()).newPage();
    await watcher.goto(`${server.url}/posts/the-library-that-never-closes`);
    await watcher.waitForSelector('#comments[data-live="on"]', { state: "attached", timeout: 15_000 });

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/posts/the-library-that-never-closes`);
    await page.fill("#comment-author", "Dana");
    await page.fill("#comment-body", "I love the night shfit.");
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click("#comment-form button[type=submit]")]);
    const id = /#comment-(\d+)$/.exec(page.url())![1];
    const edit = page.locator(`#comment-${id} .edit-own`);
    await edit.waitFor();
    await Promise.all([page.waitForURL(/\/edit$/), edit.click()]);
    await page.fill("#comment-body", "I love the night shift.");
    await Promise.all([page.waitForURL(new RegExp(`#comment-${id}$`)), page.click('button[value="save"]')]);
    expect(await page.textContent(`#comment-${id} .comment-body`)).toContain("night shift");

    await watcher.waitForFunction((n) => document.querySelector(`#comment-${n} .comment-edited`) !== null, id, { timeout: 10_000 });
    expect(await watcher.textContent(`#comment-${id} .comment-body`)).toContain("night shift");
    // Another browser has no Edit link on it.
    expect(await watcher.locator(`#comment-${id} .edit-own`).count()).toBe(0);
  });
});

/** A paste as a browser makes it, on the rich editor's text: files, or plain text. */
async function pasteInto(page: Page, what: { png?: number[]; name?: string; text?: string }) {
  await page.evaluate((w) => {
    const data = new DataTransfer();
    if (w.png) data.items.add(new File([new Uint8Array(w.png)], w.name ?? "pasted.png", { type: "image/png" }));
    if (w.text) data.setData("text/plain", w.text);
    document
      .querySelector(".rich .ProseMirror")!
      .dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, what);
}

const axeSerious = async (page: Page) => {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  return (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations" +
      ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
  )) as string[];
};

describe("the rich editor", () => {
  it("writes a post from nothing on a phone — bold, a link, a list, a pasted image, a YouTube link — and a reader reads it", async () => {
    const page = await signedIn("rich", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    await page.goto(`${server.url}/admin/posts/new`);
    const text = page.locator(".rich .ProseMirror");
    await text.waitFor();
    // The textarea is what the form sends (and what a browser without scripts shows); here the editor covers it.
    expect(await page.locator("#ed-markdown").isHidden()).toBe(true);
    expect(await page.getAttribute('.mode-switch button[data-mode="rich"]', "aria-pressed")).toBe("true");
    await page.fill("#ed-title", "Sleepers across the Alps");
    await text.click();
    await page.keyboard.type("Night trains are ");
    await page.keyboard.press("Control+b");
    await page.keyboard.type("back");
    await page.keyboard.press("Control+b");
    await page.keyboard.type(" this winter: see the ");
    await page.keyboard.press("Control+k");
    await page.fill("#rich-link", "https://example.com/timetable");
    await page.keyboard.press("Enter");
    await page.keyboard.type(" for times.");
    await page.keyboard.press("Enter");
    await page.click('.rich-toolbar button[data-tool="bullets"]');
    for (const stop of ["Zurich", "Zaragoza"]) {
      await page.keyboard.type(stop);
      await page.keyboard.press("Enter");
    }
    await page.keyboard.press("Enter");
    // An image from the clipboard (a phone's camera roll gives a file the same way): uploaded, then its words asked.
    await pasteInto(page, { png: [...PNG], name: "cabin.png" });
    await page.locator('.rich .ProseMirror img[src^="/media/"]').waitFor();
    await page.fill("#rich-alt", "A sleeper cabin at night");
    await page.fill("#rich-caption", "Cabin 7, 22:14");
    await page.click('.rich-panel button:has-text("Apply")');
    // Back in the text, just after the image.
    await page.waitForFunction(() => document.activeElement?.classList.contains("ProseMirror"));
    await page.keyboard.press("Enter");
    // A video by its address: pasted, it becomes an embed.
    await pasteInto(page, { text: "https://www.youtube.com/watch?v=dQw4w9WgXcQ" });
    await page.locator(".rich .rich-embed").waitFor();
    expect(await page.textContent(".rich-count")).toMatch(/^\d+ words$/);

    // On the phone: the page does not scroll sideways, and the toolbar stays on screen while the text scrolls.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.evaluate(() => document.querySelector(".rich-surface")!.scrollIntoView({ block: "end" }));
    await page.evaluate(() => window.scrollBy(0, -200));
    const bar = (await page.locator(".rich-toolbar").boundingBox())!;
    expect(bar.y).toBeGreaterThanOrEqual(0);
    expect(bar.y).toBeLessThan(844);
    expect(bar.x + bar.width).toBeLessThanOrEqual(390);
    // Labelled for a screen reader, usable with the keyboard alone.
    expect(await axeSerious(page)).toEqual([]);
    await text.focus();
    await page.keyboard.press("Alt+F10");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-tool"))).toBe("undo");
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-tool"))).toBe("redo");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.activeElement?.classList.contains("ProseMirror"));

    await Promise.all([page.waitForURL(/saved=published/), page.click('button[value="publish"]')]);
    const markdown = await page.inputValue("#ed-markdown");
    expect(markdown).toContain("Night trains are **back** this winter: see the ");
    expect(markdown).toMatch(/^- Zurich\n- Zaragoza$/m);
    expect(markdown).toMatch(/^!\[A sleeper cabin at night\]\(\/media\/[0-9a-f]{20}\.png "Cabin 7, 22:14"\)$/m);
    expect(markdown).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ$/m);

    // A reader, in another browser.
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${server.url}/posts/sleepers-across-the-alps`);
    const body = reader.locator(".post-body");
    expect(await body.locator("strong").textContent()).toBe("back");
    expect(await body.locator('a[href="https://example.com/timetable"]').count()).toBe(1);
    expect(await body.locator("li").allTextContents()).toEqual(["Zurich", "Zaragoza"]);
    expect(await body.locator('figure img[alt="A sleeper cabin at night"]').count()).toBe(1);
    expect(await body.locator("figcaption").textContent()).toBe("Cabin 7, 22:14");
    expect(await body.locator("iframe").getAttribute("src")).toBe("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
  });

  it("switches to the Markdown and back without losing anything, and remembers the choice", async () => {
    const page = await signedIn("rich");
    await page.goto(`${server.url}/admin/posts/heat-pump-sales-overtake-gas-boilers/edit`);
    await page.locator(".rich .ProseMirror table").waitFor();
    const saved = await page.inputValue("#ed-markdown");
    await page.click('.mode-switch button[data-mode="markdown"]');
    expect(await page.locator(".rich").count()).toBe(0);
    // Untouched, the Markdown is exactly as it was (the table keeps its own spacing).
    expect(await page.inputValue("#ed-markdown")).toBe(saved);
    await page.fill("#ed-markdown", `${saved.trimEnd()}\n\nWritten in _Markdown_.\n`);
    await page.click('.mode-switch button[data-mode="rich"]');
    await page.locator(".rich .ProseMirror em", { hasText: "Markdown" }).waitFor();
    await page.click('.mode-switch button[data-mode="markdown"]');
    expect(await page.inputValue("#ed-markdown")).toBe(`${saved.trimEnd()}\n\nWritten in _Markdown_.\n`);
    // Every post of posts/, opened in the rich editor and handed back untouched, is the same Markdown.
    await page.click('.mode-switch button[data-mode="rich"]');
    for (const file of readdirSync(join(ROOT, "posts")).filter((f) => f.endsWith(".md"))) {
      await page.goto(`${server.url}/admin/posts/${file.replace(/\.md$/, "")}/edit`);
      await page.locator(".rich .ProseMirror").waitFor();
      const before = await page.inputValue("#ed-markdown");
      await page.click('.mode-switch button[data-mode="markdown"]');
      expect(await page.inputValue("#ed-markdown"), file).toBe(before);
      await page.click('.mode-switch button[data-mode="rich"]');
    }
    await page.click('.mode-switch button[data-mode="markdown"]');
    // Remembered: the next editor opens in Markdown, until the rich text is chosen again.
    await page.goto(`${server.url}/admin/posts/new`);
    expect(await page.locator("#ed-markdown").isVisible()).toBe(true);
    expect(await page.getAttribute('.mode-switch button[data-mode="markdown"]', "aria-pressed")).toBe("true");
    await page.click('.mode-switch button[data-mode="rich"]');
    await page.goto(`${server.url}/admin/posts/new`);
    await page.locator(".rich .ProseMirror").waitFor();
  });
});
