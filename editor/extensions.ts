/*
 * What the rich editor's documents are made of: Tiptap's StarterKit, images, tables, and three
 * nodes of this platform's Markdown that Tiptap does not know — raw HTML (kept as written: an
 * import's figures and frames, an owner's own markup), inline HTML, and a video embed (a YouTube
 * or Vimeo address alone on its line, which the platform renders as the privacy-enhanced player).
 * Shared by the browser bundle (editor/rich.ts) and the round-trip tests, so no DOM here.
 */
import { type AnyExtension, type JSONContent, Node, mergeAttributes } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import Link from "@tiptap/extension-link";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { TableKit } from "@tiptap/extension-table";
import { MarkdownManager } from "@tiptap/markdown";
import StarterKit from "@tiptap/starter-kit";
import { playerUrl } from "../src/core/embeds";

interface HtmlToken {
  raw?: string;
  text?: string;
  block?: boolean;
}

/*
 * Tiptap turns HTML met in Markdown into its own nodes when it can and into escaped text when it
 * cannot; either way what was written is lost on save. Here it stays as written, as a node the
 * writer sees (and edits in the Markdown view).
 */
(MarkdownManager.prototype as unknown as { parseHTMLToken(token: HtmlToken): JSONContent | null }).parseHTMLToken = (token) => {
  const html = token.raw ?? token.text ?? "";
  if (!html.trim()) return null;
  return token.block ? { type: "htmlBlock", attrs: { html: html.replace(/\s+$/, "") } } : { type: "htmlInline", attrs: { html } };
};

/**
 * HTML as written, shown as its source (not editable here: the Markdown view edits it) and written
 * back exactly: between blocks in a `<pre>`, inside a paragraph (`<sup>2</sup>`, `<br>`) as a chip.
 */
function htmlNode(name: "htmlBlock" | "htmlInline", tag: "pre" | "code", inline: boolean) {
  const marker = `data-${name === "htmlBlock" ? "html-block" : "html-inline"}`;
  return Node.create({
    name,
    group: inline ? "inline" : "block",
    inline,
    atom: true,
    selectable: true,
    addAttributes: () => ({ html: { default: "" } }),
    parseHTML: () => [{ tag: `${tag}[${marker}]`, getAttrs: (el) => ({ html: (el as { textContent: string | null }).textContent ?? "" }) }],
    renderHTML: ({ node, HTMLAttributes }) => [tag, mergeAttributes(HTMLAttributes, { [marker]: "", class: "rich-html" }), node.attrs.html],
    renderMarkdown: (node: JSONContent) => String(node.attrs?.html ?? ""),
  });
}
const HtmlBlock = htmlNode("htmlBlock", "pre", false);
const HtmlInline = htmlNode("htmlInline", "code", true);

/** The address in a paragraph that holds only a link to itself, when it is a YouTube or Vimeo video (the pages render a player). */
export function embedAddress(paragraph: JSONContent): string | null {
  const only = paragraph.type === "paragraph" && paragraph.content?.length === 1 ? paragraph.content[0]! : null;
  const href = only?.marks?.length === 1 && only.marks[0]!.type === "link" ? only.marks[0]!.attrs?.href : null;
  return typeof href === "string" && only?.text === href && playerUrl(href) ? href : null;
}

/** A video by its address: the reader's page shows the privacy-enhanced player; here, a card. */
export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: () => ({ src: { default: "" } }),
  parseHTML: () => [
    { tag: "div[data-embed]", getAttrs: (el) => ({ src: (el as { getAttribute(n: string): string | null }).getAttribute("data-embed") }) },
  ],
  renderHTML: ({ node }) => [
    "div",
    { "data-embed": node.attrs.src, class: "rich-embed" },
    ["span", { class: "rich-embed-mark", "aria-hidden": "true" }, "▶"],
    ["span", {}, node.attrs.src],
  ],
  renderMarkdown: (node: JSONContent) => String(node.attrs?.src ?? ""),
});

/** `[` and `]` would end an image's description early; a `"` its title. */
const altText = (alt: unknown) => String(alt ?? "").replace(/[[\]\\]/g, (c) => `\\${c}`);
const titleText = (title: unknown) => String(title ?? "").replace(/["\\]/g, (c) => `\\${c}`);
/** An address with spaces or brackets is written between angle brackets. */
const address = (src: unknown) => {
  const s = String(src ?? "");
  return /[\s()<>]/.test(s) ? `<${s.replace(/[<>]/g, encodeURIComponent)}>` : s;
};

/**
 * Images sit in the text (inline), one alone in its paragraph being a figure whose title is its
 * caption, as the pages render them.
 */
const RichImage = Image.extend({
  renderMarkdown: (node: JSONContent) => {
    const a = node.attrs ?? {};
    return `![${altText(a.alt)}](${address(a.src)}${a.title ? ` "${titleText(a.title)}"` : ""})`;
  },
}).configure({ inline: true, allowBase64: false });

/**
 * A link whose words are its address is written `<https://…>` (what a pasted or typed address
 * becomes) when nothing in it would be escaped. Marks are written as an opening and a closing
 * around their text, which the serializer passes as `meta.markText`.
 */
const RichLink = Link.extend({
  renderMarkdown: (node: JSONContent, h: { renderChildren(node: JSONContent): string }, ctx?: { meta?: { markText?: string } }) => {
    const href = String(node.attrs?.href ?? "");
    const title = node.attrs?.title ? ` "${titleText(node.attrs.title)}"` : "";
    const text = h.renderChildren(node);
    if (!title && ctx?.meta?.markText === href && /^https?:\/\/[\w\-.~:/?#@!$&'()+,;=%]+$/.test(href) && !/[_*]/.test(href))
      return `<${text}>`;
    return `[${text}](${address(href)}${title})`;
  },
}).configure({ openOnClick: false, autolink: true, linkOnPaste: true, defaultProtocol: "https" });

/** The editor's extensions (the schema and its Markdown), for the browser and the tests alike. */
export function richExtensions(extra: AnyExtension[] = []): AnyExtension[] {
  return [
    StarterKit.configure({ link: false }),
    RichLink,
    RichImage,
    TableKit.configure({ table: { resizable: false } }),
    // GitHub's task lists (`- [ ] to do`), which the pages render as checkboxes.
    TaskList,
    TaskItem.configure({ nested: true }),
    HtmlBlock,
    HtmlInline,
    Embed,
    ...extra,
  ];
}

/**
 * Fixes what Tiptap's parser leaves that the schema refuses — an image alone in a paragraph comes
 * out as a block of its own; it goes back into a paragraph (a figure, as the pages show it) — and
 * makes a video's address alone in its paragraph an embed.
 */
export function fitSchema(doc: JSONContent): JSONContent {
  const inBlocks = (nodes: JSONContent[] | undefined): JSONContent[] | undefined =>
    nodes?.map((n) => {
      if (n.type === "image") return { type: "paragraph", content: [n] };
      const src = embedAddress(n);
      return src ? { type: "embed", attrs: { src } } : fitChildren(n);
    });
  const fitChildren = (n: JSONContent): JSONContent => {
    if (!n.content) return n;
    const holdsBlocks = ["doc", "blockquote", "listItem", "tableCell", "tableHeader"].includes(n.type ?? "");
    return { ...n, content: holdsBlocks ? inBlocks(n.content) : n.content.map(fitChildren) };
  };
  return fitChildren(doc);
}
