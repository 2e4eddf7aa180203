import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { MarkdownSource } from "../../editor/source";
import { ghostData, readGhost } from "../../scripts/import/ghost";
import { readFolder } from "../../scripts/import/folder";
import { readWxr } from "../../scripts/import/wxr";
import { parseFrontMatter } from "../../src/core/frontmatter";
import { renderMarkdown } from "../../src/core/markdown";

const FIXTURES = resolve("test/fixtures/import");

/** Every post of `posts/` and of the import fixtures (WordPress, Ghost, Hugo, Jekyll), as the platform stores them. */
async function corpus(): Promise<{ name: string; markdown: string }[]> {
  const out: { name: string; markdown: string }[] = [];
  for (const f of readdirSync("posts").filter((f) => f.endsWith(".md"))) {
    out.push({ name: `posts/${f}`, markdown: parseFrontMatter(readFileSync(join("posts", f), "utf8")).body });
  }
  const results = [
    readWxr(readFileSync(join(FIXTURES, "wordpress.xml"), "utf8")),
    readGhost(ghostData(JSON.parse(readFileSync(join(FIXTURES, "ghost.json"), "utf8")))!),
    await readFolder(join(FIXTURES, "hugo")),
    await readFolder(join(FIXTURES, "jekyll")),
  ];
  for (const r of results) for (const p of r.posts) out.push({ name: `${r.format} ${p.origin}`, markdown: p.source.markdown });
  return out;
}

describe("the rich editor's Markdown", async () => {
  const source = new MarkdownSource();
  const all = await corpus();

  it("has a corpus", () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it.each(all)("$name: opened and saved unchanged is the same Markdown", ({ markdown }) => {
    const opened = source.open(markdown);
    expect(source.save(opened.doc, opened)).toBe(markdown);
  });

  it.each(all)("$name: saved block by block (as after an edit elsewhere) keeps every block as written", ({ markdown }) => {
    const opened = source.open(markdown);
    opened.written = "";
    expect(source.save(opened.doc, opened)).toBe(markdown);
  });

  it.each(all)("$name: the editor's own Markdown for it publishes the same HTML", ({ markdown }) => {
    expect(renderMarkdown(source.write(source.open(markdown).doc)).html).toBe(renderMarkdown(markdown).html);
  });

  const withWords = all.filter((p) => changeOneWord(structuredClone(source.open(p.markdown).doc)));
  it("has posts with words to change", () => expect(withWords.length).toBeGreaterThan(20));

  it.each(withWords)("$name: one word changed is one word changed in the Markdown", ({ markdown }) => {
    const opened = source.open(markdown);
    const doc = structuredClone(opened.doc);
    const changed = changeOneWord(doc);
    expect(changed).not.toBeNull();
    const saved = source.save(doc, opened);
    const before = markdown.split(/(\s+)/);
    const after = saved.split(/(\s+)/);
    const diff = before.map((w, i) => [w, after[i]]).filter(([a, b]) => a !== b);
    expect(after.length).toBe(before.length);
    expect(diff).toHaveLength(1);
    expect(diff[0]![1]).toBe(diff[0]![0]!.replace(changed!.word, "Changed"));
  });

  // Everything the platform's Markdown has, in one post: the editor holds each of them (not as text).
  const EVERYTHING = [
    'Intro with _emphasis_, **strong**, ~~struck~~, `code`, a [link](https://example.com/a "Title"), <https://example.com/b>,',
    "a [reference][r], an inline <sup>2</sup> and an image ![dot](/media/0123456789abcdef0123.png) in the text.  ",
    "A hard break above.",
    "",
    "## A heading",
    "",
    '![A figure](/media/0123456789abcdef0124.png "Its caption")',
    "",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "",
    "> A quote",
    "> on two lines.",
    "",
    "1. first",
    "2. second",
    "   - nested",
    "",
    "- [ ] to do",
    "- [x] done",
    "",
    "| a | b |",
    "|---|--:|",
    "| 1 | 2 |",
    "",
    "```js",
    "const x = 1;",
    "```",
    "",
    "---",
    "",
    '<figure class="wp-block"><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe></figure>',
    "",
    "[r]: https://example.com/ref",
    "",
  ].join("\n");

  it("holds every construct of the platform's Markdown, and writes it back meaning the same", () => {
    const opened = source.open(EVERYTHING);
    const types = new Set<string>();
    const walk = (n: JSONContent) => {
      types.add(n.type!);
      for (const m of n.marks ?? []) types.add(m.type);
      n.content?.forEach(walk);
    };
    walk(opened.doc);
    for (const t of ["heading", "bold", "italic", "strike", "code", "link", "htmlInline", "image", "hardBreak", "embed", "blockquote"])
      expect(types, t).toContain(t);
    for (const t of ["orderedList", "bulletList", "taskList", "taskItem", "table", "codeBlock", "horizontalRule", "htmlBlock"])
      expect(types, t).toContain(t);
    opened.written = "";
    expect(source.save(opened.doc, opened)).toBe(EVERYTHING);
    expect(renderMarkdown(source.write(opened.doc)).html).toBe(renderMarkdown(EVERYTHING).html);
  });

  it("a paragraph added keeps everything else as written", () => {
    const markdown = all.find((p) => p.name.startsWith("WordPress"))!.markdown;
    const opened = source.open(markdown);
    const doc = structuredClone(opened.doc);
    doc.content!.push({ type: "paragraph", content: [{ type: "text", text: "A new last line." }] });
    const end = markdown.endsWith("\n") ? "\n" : "";
    expect(source.save(doc, opened)).toBe(`${markdown.replace(/\s+$/, "")}\n\nA new last line.${end}`);
  });
});

/** Replaces the first word of five letters or more in plain text (not a link's, in any paragraph) by "Changed". */
function changeOneWord(doc: JSONContent): { word: string } | null {
  for (const node of doc.content ?? []) {
    if (node.type === "text") {
      if (node.marks?.length || !node.text) continue;
      const m = /(?<=^|\s)([a-z]{5,})(?=[\s,.;:]|$)/.exec(node.text);
      if (!m) continue;
      node.text = `${node.text.slice(0, m.index)}Changed${node.text.slice(m.index + m[1]!.length)}`;
      return { word: m[1]! };
    }
    const inner = node.type === "codeBlock" ? null : changeOneWord(node);
    if (inner) return inner;
  }
  return null;
}
