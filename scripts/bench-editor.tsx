/**
 * `npm run bench:editor`: how soon the post editor is ready to type into, in Chromium with the CPU
 * slowed four times, the rich editor against its baseline in the same run (the same page in the
 * Markdown view: the textarea and its scripts). The page is the editor's own view (rendered here,
 * as the worker renders it) and public/ served by a plain Node server: no wrangler proxy, no
 * network. Each load is in a new browser context (nothing cached), then once more warm. A page of
 * one textarea, measured the same way, shows the part no page can avoid (the browser's start of a
 * new context, Playwright's round trips).
 *   BENCH_EDITOR_RUNS=5 (loads per case), BENCH_EDITOR_REPEAT=1 (the post's length), BENCH_EDITOR_TRACE=1
 *   (what each load fetched, when), CHROMIUM_PATH=/usr/bin/chromium
 */
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { adminEn } from "../src/core/i18n/admin/en";
import { renderWithWords } from "../src/views/admin-words";
import { EditorPage } from "../src/views/pages/editor";
import { buildEditor } from "./build-editor.mjs";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const PUBLIC = join(ROOT, "public");
const RUNS = Number(process.env.BENCH_EDITOR_RUNS ?? 5);
/** How many times the seed's post with a table is repeated in the text (1: a usual post; 10: a long one). */
const REPEAT = Number(process.env.BENCH_EDITOR_REPEAT ?? 1);
const TYPES: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".woff2": "font/woff2" };

if (process.argv.includes("--help")) {
  console.log("npm run bench:editor: time to a ready post editor at 4x CPU slowdown, rich vs the Markdown view (BENCH_EDITOR_RUNS=5)");
  process.exit(0);
}

/** The editor page of a post (the seed's post with a table, REPEAT times over), as the worker renders it. */
function editorPage(): string {
  const markdown = Array.from(
    { length: REPEAT },
    () => readFileSync(join(ROOT, "posts/heat-pump-sales-overtake-gas-boilers.md"), "utf8").split("\n---\n")[1],
  ).join("\n\n");
  const body = renderWithWords(adminEn, () =>
    String(
      <EditorPage
        csrf="bench"
        isNew={false}
        live={true}
        timeZone="UTC"
        source={{ slug: "bench", title: "Bench", date: "2026-01-01T00:00:00.000Z", tags: [], markdown, draft: false } as never}
      />,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/style.css"><title>Bench</title></head><body><main>${body}</main></body></html>`;
}

async function main() {
  const size = await buildEditor({ quiet: true });
  const page = editorPage();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/admin/posts/bench/edit") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return res.end(page);
    }
    if (req.url === "/floor") {
      // The browser's own part: a page of one textarea, loaded and typed into the same way.
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return res.end('<!doctype html><html lang="en"><title>Floor</title><textarea id="ed-markdown"></textarea></html>');
    }
    const file = join(PUBLIC, path);
    if (!file.startsWith(PUBLIC) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "max-age=3600" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/posts/bench/edit`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox"],
  });

  /** Milliseconds from navigation to a typed letter being in the text (cold: a new context; warm: the same, again). */
  async function load(mode: "rich" | "markdown" | "floor"): Promise<{ cold: number; warm: number }> {
    const context = await browser.newContext();
    await context.addCookies([{ name: "__Host-edge_editor", value: mode, domain: "127.0.0.1", path: "/", secure: true }]);
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    const once = async () => {
      await tab.goto(mode === "floor" ? new URL("/floor", url).href : url, { waitUntil: "commit" });
      const target = mode === "rich" ? ".rich .ProseMirror[contenteditable=true]" : "#ed-markdown";
      await tab.locator(target).waitFor();
      // Ready means it takes a letter: focus it and type one, and see it in the text.
      await tab.focus(target);
      await tab.keyboard.type("Z");
      await tab.waitForFunction(
        (m) =>
          (m === "rich"
            ? document.querySelector(".rich .ProseMirror")!.textContent!
            : document.querySelector<HTMLTextAreaElement>("#ed-markdown")!.value
          ).includes("Z"),
        mode,
      );
      if (process.env.BENCH_EDITOR_TRACE)
        console.log(
          mode,
          await tab.evaluate(() =>
            JSON.stringify([
              (performance.getEntriesByType("navigation") as PerformanceNavigationTiming[]).map((e) => [
                "page",
                Math.round(e.responseEnd),
                Math.round(e.domContentLoadedEventEnd),
                Math.round(e.loadEventEnd),
              ]),
              (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((e) => [
                e.name.replace(/.*\//, ""),
                Math.round(e.startTime),
                Math.round(e.responseEnd),
              ]),
            ]),
          ),
        );
      return tab.evaluate(() => performance.now());
    };
    const cold = await once();
    const warm = await once();
    await context.close();
    return { cold, warm };
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results: Record<string, { cold: number[]; warm: number[] }> = {
    floor: { cold: [], warm: [] },
    markdown: { cold: [], warm: [] },
    rich: { cold: [], warm: [] },
  };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ["floor", "markdown", "rich"] as const) {
      const r = await load(mode);
      results[mode]!.cold.push(r.cold);
      results[mode]!.warm.push(r.warm);
    }
  }
  await browser.close();
  server.close();
  const css = gzipSync(readFileSync(join(PUBLIC, "editor/rich.css"))).length;
  console.log(
    `rich editor bundle: ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzip (+ rich.css ${(css / 1024).toFixed(1)} KB gzip); not in the worker`,
  );
  console.log(
    `editor ready to type, CPU slowed 4x, median of ${RUNS}, post of ${page.length} bytes of HTML (navigation to a typed letter in the text):`,
  );
  for (const phase of ["cold", "warm"] as const) {
    const md = median(results.markdown![phase]);
    const rich = median(results.rich![phase]);
    const floor = median(results.floor![phase]);
    console.log(
      `  ${phase}: Markdown view ${md.toFixed(0)} ms (baseline), rich editor ${rich.toFixed(0)} ms — ${(rich / md).toFixed(2)}x; ` +
        `a page of one textarea (the browser's own part) ${floor.toFixed(0)} ms`,
    );
  }
}

await main();
