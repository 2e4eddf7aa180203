import { Lexer, type Token, type Tokens } from "marked";

/** Inline content of a comment: text is always plain text, never markup. */
export type Inline =
  | string
  | { t: "em" | "strong" | "del"; c: Inline[] }
  | { t: "code"; v: string }
  | { t: "a"; href: string; c: Inline[] }
  | { t: "br" };

/** Block content of a comment: the Markdown subset commenters may use. */
export type Block =
  | { t: "p"; c: Inline[] }
  | { t: "pre"; v: string }
  | { t: "quote"; c: Block[] }
  | { t: "ul"; items: Block[][] }
  | { t: "ol"; start: number; items: Block[][] };

export type CommentDoc = Block[];

const MAX_DEPTH = 6;

/** Only http(s) and mailto links survive; anything else stays text. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    if (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:") return url.href;
  } catch {
    /* relative or malformed */
  }
  return null;
}

function inline(tokens: Token[] | undefined, depth: number): Inline[] {
  const out: Inline[] = [];
  for (const tok of tokens ?? []) {
    const children = "tokens" in tok && Array.isArray(tok.tokens) ? tok.tokens : undefined;
    if (depth > MAX_DEPTH) {
      out.push(tok.raw);
      continue;
    }
    switch (tok.type) {
      case "strong":
      case "em":
      case "del":
        out.push({ t: tok.type, c: inline(children, depth + 1) });
        break;
      case "codespan":
        out.push({ t: "code", v: decode((tok as Tokens.Codespan).text) });
        break;
      case "br":
        out.push({ t: "br" });
        break;
      case "link": {
        const href = safeHref((tok as Tokens.Link).href);
        const c = inline(children, depth + 1);
        out.push(href ? { t: "a", href, c } : tok.raw);
        break;
      }
      case "image": {
        const img = tok as Tokens.Image;
        const href = safeHref(img.href);
        out.push(href ? { t: "a", href, c: [img.text || href] } : tok.raw);
        break;
      }
      case "text":
      case "escape":
        if (children) out.push(...inline(children, depth + 1));
        else out.push(decode((tok as Tokens.Text).text));
        break;
      default:
        // Raw HTML and anything else outside the subset is shown as the text the commenter typed.
        out.push(tok.raw);
    }
  }
  return merge(out);
}

/** Joins adjacent strings so the tree stays small. */
function merge(items: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (typeof item === "string" && typeof last === "string") out[out.length - 1] = last + item;
    else if (item !== "") out.push(item);
  }
  return out;
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? _);
}

function blocks(tokens: Token[], depth: number): Block[] {
  const out: Block[] = [];
  for (const tok of tokens) {
    if (depth > MAX_DEPTH) {
      out.push({ t: "p", c: [tok.raw] });
      continue;
    }
    switch (tok.type) {
      case "space":
      case "hr":
      case "def":
        break;
      case "paragraph":
      case "heading":
      case "text": {
        const children = (tok as Tokens.Paragraph).tokens;
        out.push({ t: "p", c: children ? inline(children, depth + 1) : [decode((tok as Tokens.Text).text)] });
        break;
      }
      case "code":
        out.push({ t: "pre", v: (tok as Tokens.Code).text });
        break;
      case "blockquote":
        out.push({ t: "quote", c: blocks((tok as Tokens.Blockquote).tokens, depth + 1) });
        break;
      case "list": {
        const list = tok as Tokens.List;
        const items = list.items.map((item) => blocks(item.tokens, depth + 1));
        out.push(list.ordered ? { t: "ol", start: typeof list.start === "number" ? list.start : 1, items } : { t: "ul", items });
        break;
      }
      default:
        // HTML blocks, tables and the rest: shown as typed.
        out.push({ t: "p", c: [tok.raw.trim()] });
    }
  }
  return out;
}

/** Container markers (quotes, list items) allowed at the start of one line. */
const MAX_CONTAINERS = MAX_DEPTH;
/** Leading spaces kept: enough for an indented code block inside a few list levels. */
const MAX_INDENT = 24;
/** Inline markers (`*`, `_`, `~`, `` ` ``, `[`, `]`, `<`) a comment may use as markup; later ones stay text. */
const MAX_MARKERS = 64;
const CONTAINER = /^([ \t]*)(>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/** Escapes one line's inline markers past the budget, and any run of more than three of one marker. */
function boundInline(line: string, budget: { left: number }): string {
  return line.replace(/([*_~`[\]<])\1*/g, (run) => {
    if (run.length > 3 || budget.left < run.length) return run.replace(/./g, "\\$&");
    budget.left -= run.length;
    return run;
  });
}

/** Caps a line's nesting: container markers past the limit become text, indentation is trimmed. */
function boundContainers(line: string): string {
  let rest = line;
  let out = "";
  for (let depth = 0; ; depth++) {
    const m = CONTAINER.exec(rest);
    if (!m) break;
    const indent = m[1]!.slice(0, MAX_INDENT);
    if (depth >= MAX_CONTAINERS) return `${out}${indent}\\${rest.slice(m[1]!.length)}`;
    out += indent + m[2]!;
    rest = rest.slice(m[0].length);
  }
  const lead = /^[ \t]*/.exec(rest)![0];
  return out + lead.slice(0, MAX_INDENT) + rest.slice(lead.length);
}

/**
 * Bounds what the Markdown lexer has to work on, so that parsing stays linear in the body's
 * length: at most MAX_CONTAINERS nested quotes or lists per line, at most MAX_MARKERS inline
 * markers in all, no marker runs longer than three. What is past a bound stays as the text the
 * commenter typed (escaped). Fenced code is left alone.
 */
export function boundMarkdown(body: string): string {
  const budget = { left: MAX_MARKERS };
  let fence: string | null = null;
  return body
    .split("\n")
    .map((line) => {
      const f = FENCE.exec(line);
      if (fence) {
        if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length) fence = null;
        return line;
      }
      if (f) {
        fence = f[1]!;
        return line;
      }
      return boundInline(boundContainers(line), budget);
    })
    .join("\n");
}

/** Parses a commenter's Markdown into a safe document tree (no HTML anywhere in it). */
export function parseComment(body: string): CommentDoc {
  const lexer = new Lexer({ gfm: true, breaks: true });
  return blocks(lexer.lex(boundMarkdown(body)), 0);
}

/** How many links a comment carries, for the spam rule. */
export function countLinks(doc: CommentDoc): number {
  let n = 0;
  const walkInline = (items: Inline[]) => {
    for (const i of items) {
      if (typeof i === "string") continue;
      if (i.t === "a") n++;
      if ("c" in i) walkInline(i.c);
    }
  };
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      if (b.t === "p") walkInline(b.c);
      else if (b.t === "quote") walk(b.c);
      else if (b.t === "ul" || b.t === "ol") b.items.forEach(walk);
    }
  };
  walk(doc);
  return n;
}
