/*
 * The rich editor's Markdown, kept as the writer (or their old platform) wrote it. Tiptap writes
 * Markdown its own way (`*` for emphasis, padded tables, escapes); saving a post opened in the
 * rich editor must not rewrite the whole file. So a post is opened as its blocks (marked's
 * top-level tokens), each with its source and the Markdown the editor would write for it, and
 * saved block by block: a block the editor would write the same keeps its source; a block where
 * words changed gets the change patched into its source when that is unambiguous; any other is
 * written by the editor. Whatever comes out is checked to mean exactly what the editor shows,
 * else the editor's own Markdown is saved.
 */
import { type AnyExtension, type JSONContent, getSchema } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import type { Schema } from "@tiptap/pm/model";
import { fitSchema, richExtensions } from "./extensions";

interface Block {
  /** The block's Markdown as written, without the blank lines after it. */
  raw: string;
  /** What the editor writes for it (worked out at the first save: opening stays quick). */
  key?: string;
  /** The blank lines after it. */
  after: string;
}

/** A post as opened: what it was, in blocks. */
export interface Opened {
  markdown: string;
  doc: JSONContent;
  blocks: Block[];
  /** Blank lines before the first block. */
  lead: string;
  /** Link reference definitions (`[r]: https://…`), kept wherever a saved block may use them. */
  defs: string[];
  /** What the editor writes for the whole post as opened: a save that writes the same changed nothing. */
  written: string | (() => string);
}

interface Token {
  type: string;
  raw: string;
}

const isEmptyParagraph = (n: JSONContent) => n.type === "paragraph" && !n.content?.length;

/** Empty paragraphs between blocks (Enter pressed twice, the editor's trailing line) have no Markdown. */
function withoutEmpty(doc: JSONContent): JSONContent {
  return { ...doc, content: (doc.content ?? []).filter((n) => !isEmptyParagraph(n)) };
}

/** The start of a common prefix (or suffix) backed off to a space, so the changed part holds whole words. */
function wordStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  return i;
}

export class MarkdownSource {
  readonly manager: MarkdownManager;
  readonly schema: Schema;

  constructor(extensions: AnyExtension[] = richExtensions()) {
    this.manager = new MarkdownManager({ extensions });
    this.schema = getSchema(extensions);
  }

  /** The document for Markdown, as the editor holds it (the schema's defaults filled in). */
  parse(markdown: string): JSONContent {
    return this.schema.nodeFromJSON(fitSchema(this.manager.parse(markdown))).toJSON() as JSONContent;
  }

  /** The editor's own Markdown for a document. */
  write(doc: JSONContent): string {
    return this.manager.serialize(withoutEmpty(doc)).replace(/\s+$/, "");
  }

  private key(raw: string, defs: string[]): string {
    return this.write(this.parse(defs.length ? `${raw}\n\n${defs.join("\n")}` : raw));
  }

  open(markdown: string): Opened {
    const tokens = this.manager.instance.lexer(markdown) as unknown as Token[];
    const defs = tokens.filter((t) => t.type === "def").map((t) => t.raw.trim());
    const blocks: Block[] = [];
    let lead = "";
    for (const t of tokens) {
      if (t.type === "def") continue;
      // Blank lines go between blocks: a space token's, and those a tokenizer took in front of its block (the task lists' does).
      const before = t.type === "space" ? t.raw : /^(?:[ \t]*\n)*/.exec(t.raw)![0];
      const last = blocks.at(-1);
      if (last) last.after += before;
      else lead += before;
      if (t.type === "space") continue;
      const rest = t.raw.slice(before.length);
      const raw = rest.replace(/\s+$/, "");
      blocks.push({ raw, after: rest.slice(raw.length) });
    }
    const doc = this.parse(markdown);
    return { markdown, doc, blocks, defs, lead, written: () => this.write(doc) };
  }

  /**
   * The document the editor actually holds as opened (it may differ from the parse by defaults):
   * what a save compares with, written out only when the first save asks.
   */
  settle(opened: Opened, doc: () => JSONContent): void {
    opened.written = () => this.write(doc());
  }

  /** The Markdown to save for `doc`, a document opened as `opened` and maybe edited. */
  save(doc: JSONContent, opened: Opened): string {
    const written = this.write(doc);
    if (typeof opened.written === "function") opened.written = opened.written();
    if (written === opened.written) return opened.markdown;
    for (const b of opened.blocks) b.key ??= this.key(b.raw, opened.defs);
    const nodes = withoutEmpty(doc).content ?? [];
    const keys = nodes.map((n) => this.write({ type: "doc", content: [n] }));
    const old = opened.blocks;
    const pairs = align(
      old.map((b) => b.key!),
      keys,
    );
    // The old block each new one comes from (the same, or in the same place between two that are the same).
    const from: (number | null)[] = keys.map(() => null);
    const same: boolean[] = keys.map(() => false);
    for (const [o, n] of pairs) {
      from[n] = o;
      same[n] = true;
    }
    let lastOld = -1;
    for (let n = 0; n < keys.length; n++) {
      if (same[n]) {
        lastOld = from[n]!;
        continue;
      }
      const nextOld = from.slice(n + 1).find((o, i) => same[n + 1 + i] && o !== null) ?? old.length;
      const taken = new Set(from.filter((o): o is number => o !== null));
      for (let o = lastOld + 1; o < nextOld; o++) {
        if (!taken.has(o)) {
          from[n] = o;
          break;
        }
      }
    }
    const texts = keys.map((key, n) => {
      const o = from[n];
      if (o === null || o === undefined) return key;
      if (same[n]) return old[o]!.raw;
      return this.patch(old[o]!, key, opened.defs) ?? key;
    });
    let out = opened.lead;
    for (let n = 0; n < texts.length; n++) {
      out += texts[n];
      if (n === texts.length - 1) break;
      const o = from[n];
      const follows = o !== null && o !== undefined && from[n + 1] === o + 1 && old[o]!.after.includes("\n\n");
      out += follows ? old[o]!.after : "\n\n";
    }
    if (opened.defs.length) out += `\n\n${opened.defs.join("\n")}`;
    out += /\n$/.test(opened.markdown) ? "\n" : "";
    // Saved only if it means exactly what the editor shows.
    return this.write(this.parse(out)) === written ? out : `${written}\n`;
  }

  /** The block's source with the words that changed replaced, when they appear once in it; else null. */
  private patch(block: Block, key: string, defs: string[]): string | null {
    const was = block.key!;
    let p = 0;
    while (p < was.length && p < key.length && was[p] === key[p]) p++;
    let s = 0;
    while (s < was.length - p && s < key.length - p && was[was.length - 1 - s] === key[key.length - 1 - s]) s++;
    let start = wordStart(was, p);
    for (let tries = 0; tries < 3; tries++) {
      const end = was.length - backToSpace(was, s);
      const before = was.slice(start, end);
      const after = key.slice(start, key.length - backToSpace(was, s));
      if (before && block.raw.indexOf(before) === block.raw.lastIndexOf(before) && block.raw.includes(before)) {
        const patched = block.raw.replace(before, () => after);
        if (this.key(patched, defs) === key) return patched;
      }
      start = wordStart(was, Math.max(0, start - 1));
    }
    return null;
  }
}

/** A common suffix of length `s` backed off to a space (the suffix starts after whole words). */
function backToSpace(text: string, s: number): number {
  let i = s;
  while (i > 0 && !/\s/.test(text[text.length - i] ?? " ")) i--;
  return i;
}

/** The longest common subsequence of two lists of blocks, as pairs of indexes (old, new). */
function align(a: string[], b: string[]): [number, number][] {
  const m = a.length;
  const n = b.length;
  const len: Uint32Array[] = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) {
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}
