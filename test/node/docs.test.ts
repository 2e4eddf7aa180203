import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The README and every page of docs/: the documentation a newcomer follows by its links. */
const PAGES = [
  "README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => join("docs", f)),
];

/** The text outside fenced code blocks and code spans (examples there are not links). */
const prose = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

const anchors = (file: string) => new Set([...prose(readFileSync(file, "utf8")).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));

describe("the documentation", () => {
  it("keeps the README to one page for a newcomer", () => {
    expect(readFileSync("README.md", "utf8").split("\n").length).toBeLessThan(150);
  });

  it.each(PAGES)("%s: every relative link and anchor resolves", (page) => {
    const broken: string[] = [];
    for (const [, target] of prose(readFileSync(page, "utf8")).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target!) || target!.startsWith("/")) continue;
      const [path, anchor] = target!.split("#") as [string, string | undefined];
      const file = path ? resolve(dirname(page), path) : resolve(page);
      if (!existsSync(file)) broken.push(`${target} (no such file)`);
      else if (anchor && file.endsWith(".md") && !anchors(file).has(anchor)) broken.push(`${target} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });
});
