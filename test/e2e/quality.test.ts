import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, publish, ROOT, startDev, type DevServer } from "./processes";

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

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-quality-"));
  const result = await publish("--persist-to", state);
  expect(result.code, result.output).toBe(0);
  server = await startDev(state);
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

afterAll(async () => {
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

describe("HTML quality of every reader page", () => {
  it("passes the W3C Nu HTML Checker with no errors", async () => {
    const dir = join(state, "html");
    await run("mkdir", ["-p", dir]);
    const files: string[] = [];
    for (const [i, path] of PAGES.entries()) {
      const res = await fetch(`${server.url}${path}`);
      const file = join(dir, `page-${i}.html`);
      await writeFile(file, await res.text());
      files.push(file);
    }
    const jar = join(ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");
    const { stdout, stderr } = await run("java", ["-jar", jar, "--format", "json", "--exit-zero-always", "--stdout", ...files], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e) => e);
    const report = JSON.parse(stdout || stderr) as { messages: { type: string; url: string; message: string; extract?: string }[] };
    const errors = report.messages
      .filter((m) => m.type === "error")
      .map((m) => `${PAGES[Number(/page-(\d+)\.html/.exec(m.url)?.[1])]}: ${m.message} ${m.extract ?? ""}`);
    expect(errors).toEqual([]);
  });

  it("has no serious or critical axe-core violations, in light and dark mode", async () => {
    const browser = await launchChromium();
    const axe = require.resolve("axe-core/axe.min.js");
    const problems: string[] = [];
    try {
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await browser.newContext({ colorScheme, bypassCSP: true });
        const page = await context.newPage();
        for (const path of PAGES) {
          await page.goto(`${server.url}${path}`);
          await page.addScriptTag({ path: axe });
          const violations = (await page.evaluate(
            "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations" +
              ".filter(v => v.impact === 'serious' || v.impact === 'critical')" +
              ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))",
          )) as string[];
          problems.push(...violations.map((v) => `${colorScheme} ${path}: ${v}`));
        }
        await context.close();
      }
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  });

  it("loads nothing from another origin", async () => {
    for (const path of PAGES) {
      const html = await (await fetch(`${server.url}${path}`)).text();
      const external = [...html.matchAll(/<(?:script|link|img)\b[^>]*(?:src|href)="(https?:)?\/\/[^"]*"/g)]
        .map((m) => m[0])
        .filter((tag) => !/rel="(canonical|alternate)"/.test(tag));
      expect(external, path).toEqual([]);
    }
  });
});
