import { Marked, type Token, type Tokens } from "marked";
import { slugify } from "./vocabulary";
import { escapeHtml } from "./text";
import { playerHtml, playerUrl, rewriteFrames } from "./embeds";
import { filterHtml, safeUrl } from "./html-filter";

const WORDS_PER_MINUTE = 220;

/** The plain text of Markdown tokens, for summaries, heading anchors and word counts. */
function tokensText(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  return tokens
    .map((t) => {
      if (t.type === "html" || t.type === "space" || t.type === "hr") return " ";
      if ("tokens" in t && Array.isArray(t.tokens))
        return tokensText(t.tokens) + (t.type === "paragraph" || t.type === "heading" ? " " : "");
      if (t.type === "list") return (t as Tokens.List).items.map((i) => tokensText(i.tokens)).join(" ");
      if (t.type === "code") return ` ${(t as Tokens.Code).text} `;
      return "text" in t && typeof t.text === "string" ? t.text : "";
    })
    .join("");
}

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39|#x27|nbsp);/g,
    (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " })[e] ?? _,
  );
}

function collapse(text: string): string {
  return decodeEntities(text).replace(/\s+/g, " ").trim();
}

/** A URL fragment for a heading: "Why it matters — 2024" → "why-it-matters-2024". */
export function headingId(text: string): string {
  return slugify(text, 80) || "section";
}

export interface TocEntry {
  id: string;
  text: string;
  depth: number;
}

export interface RenderedMarkdown {
  html: string;
  /** Level-2 and level-3 headings, in order. */
  headings: TocEntry[];
  /** Plain text of the first paragraph. */
  lead: string;
  words: number;
}

/** A fenced code block with a language, as the highlighter gets it. */
export interface CodeBlock {
  code: string;
  language: string;
}

/** A block's highlighted HTML, or null when its language is not one the highlighter knows (then it is shown as written). */
export type Highlight = (code: string, language: string) => string | null;

export interface RenderOptions {
  /** Filter raw HTML (what the administration shows). */
  filter?: boolean;
  /** Highlights code blocks; else the one registered (core/highlight.ts, in Node), else none. */
  highlight?: Highlight;
}

let registered: Highlight | null = null;

/** Sets the highlighter renderMarkdown uses when it is given none (core/highlight.ts does, on import). */
export function useHighlighter(highlight: Highlight): void {
  registered = highlight;
}

/** What answers for several blocks at once: the federation worker's Highlighter entrypoint, through its binding. */
export interface HighlightService {
  highlight(blocks: CodeBlock[]): Promise<(string | null)[]>;
}

/** How long a save waits for the highlighter before showing the code as written. */
const HIGHLIGHT_WAIT_MS = 3_000;

/**
 * The service's answer for `highlighted`, or null where the deployment binds none (code shown as
 * written). A binding whose worker does not answer (a development setup without it, where the call
 * may hang) costs the save HIGHLIGHT_WAIT_MS at most.
 */
export const remoteHighlight = (service: unknown) =>
  service
    ? (blocks: CodeBlock[]) =>
        Promise.race([
          (service as HighlightService).highlight(blocks),
          new Promise<never>((_, fail) => setTimeout(() => fail(new Error("the highlighter did not answer")), HIGHLIGHT_WAIT_MS)),
        ])
    : null;

/**
 * Renders with code highlighted by a highlighter that is asked once for all the blocks (in the
 * worker: the federation worker's Highlighter, over RPC): a first render collects the blocks, a
 * second uses the answers. Without blocks, or when the highlighter fails, the first render stands
 * (code shown as written).
 */
export async function highlighted<T>(
  render: (highlight: Highlight) => T,
  highlightAll: ((blocks: CodeBlock[]) => Promise<(string | null)[]>) | null,
): Promise<T> {
  const blocks: CodeBlock[] = [];
  const first = render((code, language) => {
    blocks.push({ code, language });
    return null;
  });
  if (!blocks.length || !highlightAll) return first;
  let answers: (string | null)[];
  try {
    answers = await highlightAll(blocks);
  } catch {
    return first;
  }
  let n = 0;
  return render(() => answers[n++] ?? null);
}

/**
 * Renders a post's Markdown to HTML (GitHub-flavoured). Its raw HTML is kept as stored: what an
 * author without unfiltered HTML saves was filtered then (html-filter.ts); `filter` filters it
 * here too, for what is shown inside the administration (the preview). Links and images to
 * `javascript:` and other unsafe schemes are text, whoever wrote them. Headings get unique ids
 * for anchors; images load lazily.
 */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): RenderedMarkdown {
  const used = new Map<string, number>();
  const headings: TocEntry[] = [];
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const text = collapse(tokensText(tokens));
        let id = headingId(text);
        const n = used.get(id) ?? 0;
        used.set(id, n + 1);
        if (n) id = `${id}-${n}`;
        if (depth === 2 || depth === 3) headings.push({ id, text, depth });
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      code({ text, lang }) {
        // Highlighted at publish time: readers get coloured code with no JavaScript.
        const language = (lang ?? "").trim().split(/\s+/)[0]!.toLowerCase();
        const body = language ? (options.highlight ?? registered)?.(text, language) : null;
        if (typeof body === "string") {
          return `<pre><code class="hljs language-${escapeHtml(language)}">${body}\n</code></pre>\n`;
        }
        return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ""}>${escapeHtml(text)}\n</code></pre>\n`;
      },
      paragraph({ tokens }) {
        // A YouTube or Vimeo address alone on its line is its privacy-enhanced player (any author may embed so).
        const link = tokens.length === 1 && tokens[0]!.type === "link" ? (tokens[0] as Tokens.Link) : null;
        const player = link && link.text === link.href && playerUrl(link.href);
        if (player) return `${playerHtml(player)}\n`;
        // An image alone in its paragraph is a figure; its title, if any, is the caption.
        const only = tokens.length === 1 && tokens[0]!.type === "image" ? (tokens[0] as Tokens.Image) : null;
        if (only) {
          const caption = only.title ? `<figcaption>${escapeHtml(only.title)}</figcaption>` : "";
          return `<figure>${this.parser.parseInline(tokens)}${caption}</figure>\n`;
        }
        return `<p>${this.parser.parseInline(tokens)}</p>\n`;
      },
      html({ text }) {
        // YouTube and Vimeo frames become the privacy-enhanced player; any other frame a link (or, filtered, nothing).
        return rewriteFrames(text, [], options.filter ? (fragment) => filterHtml(fragment, new Set()) : undefined);
      },
      link({ href, tokens }) {
        return safeUrl(href) ? false : this.parser.parseInline(tokens);
      },
      image({ href, title, text }) {
        if (!safeUrl(href)) return escapeHtml(text);
        const t = title ? ` title="${escapeHtml(title)}"` : "";
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${t} loading="lazy" decoding="async">`;
      },
    },
  });
  const tokens = marked.lexer(markdown);
  const html = marked.parser(tokens);
  const first = tokens.find((t): t is Tokens.Paragraph => t.type === "paragraph");
  const lead = first ? collapse(tokensText(first.tokens)) : "";
  const all = collapse(tokensText(tokens));
  return { html, headings, lead, words: all ? all.split(" ").length : 0 };
}

/** Cuts text to at most `max` characters at a word boundary, with an ellipsis. */
export function truncate(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.\-–—]+$/, "")}…`;
}

export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}
