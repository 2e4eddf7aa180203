import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { THEME_FONTS, THEMES } from "../../src/core/theme";

const PUBLIC = resolve("public");

/** What `npm run bench` would call the budget: each theme's two stylesheets, gzipped, and the fonts it can load on a page. */
async function budget(theme: string) {
  const css = (await readFile(join(PUBLIC, "style.css"), "utf8")) + (await readFile(join(PUBLIC, "themes", `${theme}.css`), "utf8"));
  const fonts = [...css.matchAll(/url\((\/fonts\/[^)]+\.woff2)\)/g)].map((m) => m[1]!);
  let fontBytes = 0;
  for (const font of fonts) fontBytes += (await stat(join(PUBLIC, font))).size;
  return { cssGzip: gzipSync(css).length, fonts, fontBytes, css };
}

describe("the themes' budgets", () => {
  it.each(THEMES)("%s: CSS ≤ 20 KB gzip, fonts ≤ 100 KB a page, all from the blog's own origin", async (theme) => {
    const { cssGzip, fonts, fontBytes, css } = await budget(theme);
    console.log(
      `${theme}: CSS ${(cssGzip / 1024).toFixed(1)} KB gzip; fonts ${fonts.length} file(s), ${(fontBytes / 1024).toFixed(1)} KB at most`,
    );
    expect(cssGzip).toBeLessThanOrEqual(20 * 1024);
    // Latin and Latin Extended together: a page loads the second only if it has such letters.
    expect(fontBytes).toBeLessThanOrEqual(100 * 1024);
    expect(css).not.toMatch(/url\((?!\/)/);
    expect(css).not.toMatch(/@import/);
    if (THEME_FONTS[theme]) expect(fonts).toContain(THEME_FONTS[theme]);
    else expect(fonts).toEqual([]);
    for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) expect(block).toContain("font-display: swap");
  });

  it("lets Markdown's column alignment through: only cells without align follow the writing direction", async () => {
    const css = await readFile(join(PUBLIC, "style.css"), "utf8");
    expect(css).toContain(".post-body th:not([align]),\n.post-body td:not([align]) {\n  text-align: start;");
    expect(css).not.toMatch(/\.post-body t[hd][^{]*{[^}]*text-align: left/);
  });

  it.each(THEMES)("%s: sets sides by writing direction (logical properties), so a right-to-left language can come", async (theme) => {
    const { css } = await budget(theme);
    const physical = css
      .split("\n")
      .filter((line) =>
        /(?:margin|padding|border)-(?:left|right)\s*:|text-align:\s*(?:left|right)|float:\s*(?:left|right)|^\s*(?:left|right)\s*:/.test(
          line,
        ),
      );
    expect(physical).toEqual([]);
  });
});
