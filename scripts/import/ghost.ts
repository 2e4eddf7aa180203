/**
 * Ghost's JSON export (Settings → Advanced → Export): posts and pages with their tags and
 * authors; the body from `html`, or rendered from `lexical` or `mobiledoc` when the export has
 * no HTML. Ghost's own comments are not in its export. Old URLs: Ghost's default `/<slug>/`.
 */
import { htmlToMarkdown } from "./html";
import { clean, type ImportResult, isoDate, slugFor, titleText } from "./model";

type Node = Record<string, unknown>;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Whether parsed JSON is a Ghost export (`{db:[{data}]}` or `{data}`). */
export function ghostData(json: unknown): Node | null {
  const root = json as Node | null;
  const db = Array.isArray(root?.db) ? (root.db[0] as Node) : root;
  const data = db?.data as Node | undefined;
  return data && Array.isArray(data.posts) ? data : null;
}

/** Lexical (Ghost 5+) → HTML, for the nodes and cards Ghost writes. */
export function lexicalToHtml(json: string): string {
  const FORMAT: [number, string][] = [
    [1, "strong"],
    [2, "em"],
    [4, "s"],
    [16, "code"],
  ];
  const node = (n: Node): string => {
    const children = () => ((n.children as Node[] | undefined) ?? []).map(node).join("");
    switch (n.type) {
      case "root":
        return children();
      case "paragraph":
        return `<p>${children()}</p>`;
      case "heading":
        return `<${String(n.tag ?? "h2")}>${children()}</${String(n.tag ?? "h2")}>`;
      case "quote":
      case "aside":
        return `<blockquote>${children()}</blockquote>`;
      case "list":
        return n.listType === "number" ? `<ol>${children()}</ol>` : `<ul>${children()}</ul>`;
      case "listitem":
        return `<li>${children()}</li>`;
      case "link":
      case "autolink":
        return `<a href="${esc(String(n.url ?? ""))}">${children()}</a>`;
      case "linebreak":
        return "<br>";
      case "horizontalrule":
        return "<hr>";
      case "text":
      case "extended-text": {
        let html = esc(String(n.text ?? ""));
        for (const [bit, tag] of FORMAT) if (Number(n.format ?? 0) & bit) html = `<${tag}>${html}</${tag}>`;
        return html;
      }
      case "image":
        return `<figure><img src="${esc(String(n.src ?? ""))}" alt="${esc(String(n.alt ?? ""))}">${n.caption ? `<figcaption>${String(n.caption)}</figcaption>` : ""}</figure>`;
      case "codeblock":
        return `<pre><code>${esc(String(n.code ?? ""))}</code></pre>`;
      case "markdown":
        return `<div data-markdown>${esc(String(n.markdown ?? ""))}</div>`;
      case "html":
        return String(n.html ?? "");
      default:
        return children();
    }
  };
  const parsed = JSON.parse(json) as { root?: Node };
  return parsed.root ? node(parsed.root) : "";
}

/** Mobiledoc (Ghost 1–4) → HTML: markup sections, lists and the common cards. */
export function mobiledocToHtml(json: string): string {
  const doc = JSON.parse(json) as { markups?: [string, string[]?][]; cards?: [string, Node][]; sections?: unknown[][] };
  const markups = doc.markups ?? [];
  const cards = doc.cards ?? [];
  const markers = (list: unknown[][]) => {
    let html = "";
    const open: string[] = [];
    for (const [kind, opens, closes, value] of list as [number, number[], number, string][]) {
      for (const m of opens) {
        const [tag, attrs = []] = markups[m] ?? ["span"];
        const href = attrs[0] === "href" ? ` href="${esc(String(attrs[1] ?? ""))}"` : "";
        html += `<${tag}${href}>`;
        open.push(tag);
      }
      if (kind === 0) html += esc(String(value ?? ""));
      for (let i = 0; i < closes; i++) html += `</${open.pop()}>`;
    }
    return html;
  };
  return (doc.sections ?? [])
    .map((s) => {
      if (s[0] === 1) return `<${String(s[1])}>${markers(s[2] as unknown[][])}</${String(s[1])}>`;
      if (s[0] === 3)
        return `<${String(s[1])}>${(s[2] as unknown[][][]).map((item) => `<li>${markers(item)}</li>`).join("")}</${String(s[1])}>`;
      if (s[0] === 10) {
        const [name, payload] = cards[s[1] as number] ?? ["", {}];
        if (name === "markdown" || name === "card-markdown") return `<div data-markdown>${esc(String(payload.markdown ?? ""))}</div>`;
        if (name === "html") return String(payload.html ?? "");
        if (name === "image")
          return `<figure><img src="${esc(String(payload.src ?? ""))}" alt="${esc(String(payload.alt ?? ""))}"></figure>`;
        if (name === "code") return `<pre><code>${esc(String(payload.code ?? ""))}</code></pre>`;
        if (name === "hr") return "<hr>";
      }
      return "";
    })
    .join("");
}

/** Ghost's Markdown cards are Markdown already: they are put back as written, not converted twice. */
function bodyOf(html: string): { markdown: string; warnings: string[] } {
  const parts = html.split(/<div data-markdown>([\s\S]*?)<\/div>/);
  const out: string[] = [];
  const warnings: string[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      out.push(
        part
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, "&"),
      );
    } else if (part.trim()) {
      const c = htmlToMarkdown(part);
      out.push(c.markdown);
      warnings.push(...c.warnings);
    }
  });
  return { markdown: out.join("\n\n").trim(), warnings };
}

export function readGhost(data: Node): ImportResult {
  const result: ImportResult = { format: "Ghost export (JSON)", posts: [], skipped: [], warnings: [] };
  const list = (name: string) => (Array.isArray(data[name]) ? (data[name] as Node[]) : []);
  const tags = new Map(list("tags").map((t) => [String(t.id), t]));
  const users = new Map(list("users").map((u) => [String(u.id), clean(u.name)]));
  const tagsOf = new Map<string, { name: string; order: number }[]>();
  for (const pt of list("posts_tags")) {
    const tag = tags.get(String(pt.tag_id));
    const name = clean(tag?.name);
    // Ghost's internal tags start with "#" and are not shown to readers.
    if (!name || name.startsWith("#") || tag?.visibility === "internal") continue;
    const key = String(pt.post_id);
    tagsOf.set(key, [...(tagsOf.get(key) ?? []), { name, order: Number(pt.sort_order ?? 0) }]);
  }
  const authorOf = new Map<string, string>();
  for (const pa of [...list("posts_authors")].sort((a, b) => Number(a.sort_order ?? 0) - Number(b.sort_order ?? 0))) {
    const name = users.get(String(pa.author_id));
    if (name && !authorOf.has(String(pa.post_id))) authorOf.set(String(pa.post_id), name);
  }
  for (const p of list("posts")) {
    const id = String(p.id ?? "");
    const type = p.type === "page" ? "page" : "post";
    const title = titleText(p.title);
    const origin = `${type} “${title ?? p.slug ?? id}”`;
    if (p.visibility && p.visibility !== "public") {
      result.skipped.push({ item: origin, reason: `visible to ${String(p.visibility)} only` });
      continue;
    }
    const status = String(p.status ?? "draft");
    const draft = status !== "published" && status !== "scheduled";
    const date = isoDate(p.published_at) ?? isoDate(p.created_at);
    if (!date) {
      result.skipped.push({ item: origin, reason: "no date" });
      continue;
    }
    let html = typeof p.html === "string" ? p.html : "";
    try {
      if (!html && typeof p.lexical === "string") html = lexicalToHtml(p.lexical);
      else if (!html && typeof p.mobiledoc === "string") html = mobiledocToHtml(p.mobiledoc);
    } catch (err) {
      result.skipped.push({ item: origin, reason: `its content could not be read (${(err as Error).message})` });
      continue;
    }
    const body = bodyOf(html);
    for (const w of body.warnings) result.warnings.push(`${origin}: ${w}`);
    let markdown = body.markdown;
    // The feature image is the post's cover, unless the body already shows it; an http one (a cover must be https) stays at the top.
    const image = clean(p.feature_image);
    const shown = image && !markdown.includes(image) ? image : undefined;
    const cover = shown && /^https:\/\//i.test(shown) ? shown : undefined;
    if (shown && !cover) markdown = `![${clean(p.feature_image_alt) ?? title ?? ""}](${shown})\n\n${markdown}`;
    const names = (tagsOf.get(id) ?? []).sort((a, b) => a.order - b.order).map((t) => t.name);
    const slug = slugFor([clean(p.slug), title], `${type}-${result.posts.length + 1}`);
    const updated = isoDate(p.updated_at);
    result.posts.push({
      origin,
      kind: type,
      source: {
        slug,
        title: title ?? "Untitled",
        date,
        updated: updated && updated > date && !draft ? updated : null,
        author: authorOf.get(id) ?? null,
        tags: names,
        summary: clean(p.custom_excerpt),
        draft,
        markdown,
        ...(cover ? { cover } : {}),
      },
      oldUrls: p.slug ? [`/${String(p.slug)}/`] : [],
      comments: [],
    });
  }
  return result;
}
