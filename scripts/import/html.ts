import { gfm } from "@joplin/turndown-plugin-gfm";
import TurndownService from "turndown";

/** Elements Markdown has no form for: kept as raw HTML in the post (with a warning), as the export had them. */
const KEPT = ["iframe", "video", "audio", "embed", "object", "details", "summary", "sup", "sub"] as const;
/** Elements that never belong in a post (and would be blocked by the blog's CSP anyway). */
const DROPPED = ["script", "style", "noscript", "form", "input", "button"] as const;

function service(): TurndownService {
  const td = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
    emDelimiter: "*",
    strongDelimiter: "**",
    hr: "---",
    linkStyle: "inlined",
  });
  td.use(gfm);
  td.keep([...KEPT]);
  td.remove([...DROPPED]);
  // "- item", not turndown's "-   item".
  td.addRule("listItem", {
    filter: "li",
    replacement: (content, node, options) => {
      const parent = node.parentNode as HTMLElement | null;
      let prefix = `${options.bulletListMarker} `;
      if (parent?.nodeName === "OL") {
        const start = Number(parent.getAttribute("start") ?? 1);
        prefix = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
      }
      const body = content
        .replace(/^\n+/, "")
        .replace(/\n+$/, "\n")
        .replace(/\n/gm, `\n${" ".repeat(prefix.length)}`);
      return prefix + body + (node.nextSibling && !/\n$/.test(body) ? "\n" : "");
    },
  });
  // <figure><img><figcaption> → the image, then its caption in italics.
  td.addRule("figcaption", { filter: "figcaption", replacement: (content) => (content.trim() ? `\n\n*${content.trim()}*\n\n` : "") });
  return td;
}

const td = service();

export interface Converted {
  markdown: string;
  /** Why the result is not plain Markdown, if it is not. */
  warnings: string[];
}

/** WordPress's classic editor stores paragraphs as blank lines, not <p>: what its `wpautop` does on display. */
export function autop(html: string): string {
  if (/<p[\s>]/i.test(html)) return html;
  const block = /^\s*<(h[1-6]|ul|ol|blockquote|pre|table|div|figure|hr|iframe|video|audio|p)\b/i;
  return html
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => (block.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, "<br>\n")}</p>`))
    .join("\n");
}

/** HTML → Markdown with GFM tables; elements Markdown cannot say are kept as HTML and named in the warnings. */
export function htmlToMarkdown(html: string): Converted {
  const warnings: string[] = [];
  const kept = new Set<string>();
  for (const tag of KEPT) if (new RegExp(`<${tag}[\\s>]`, "i").test(html)) kept.add(tag);
  for (const tag of DROPPED) if (new RegExp(`<${tag}[\\s>]`, "i").test(html)) warnings.push(`<${tag}> removed`);
  if (kept.size) warnings.push(`kept as raw HTML: ${[...kept].map((t) => `<${t}>`).join(", ")}`);
  if (/<table[\s>]/i.test(html) && !/<th[\s>]/i.test(html)) warnings.push("a table without a header row is kept as raw HTML");
  let markdown: string;
  try {
    markdown = td.turndown(html);
  } catch (err) {
    return { markdown: html, warnings: [`could not be converted (${(err as Error).message}); kept as raw HTML`] };
  }
  return { markdown: markdown.replace(/\n{3,}/g, "\n\n").trim(), warnings };
}

/** A reader's comment (plain text with line breaks and a few tags, as WordPress stores it) → commenter Markdown. */
export function commentToMarkdown(html: string): string {
  return htmlToMarkdown(autop(html)).markdown;
}
