import { Marked, type Token } from "marked";

/**
 * The HTML a post may carry when its author is not allowed unfiltered HTML (anyone but an owner,
 * the operator and the operator's files): what WordPress's kses does for authors without
 * `unfiltered_html`. Post HTML is shown inside pages that hold a signed-in person's session and
 * CSRF token (the editor's preview, the post page with its moderation forms), so nothing in it
 * may submit, frame, script or name anything: no form controls, no frames or plugins, no event
 * handlers, no `id`/`name` (DOM clobbering, `form=` targets), no `data-*` (the pages' scripts read
 * theirs), no `style`, and addresses only of the kinds below.
 *
 * An allowlist: whatever is not named here is dropped, and reported so the editor can say so.
 */
const ELEMENTS: Record<string, readonly string[]> = {
  a: ["href", "rel", "hreflang", "target"],
  abbr: [],
  address: [],
  article: [],
  aside: [],
  audio: ["src", "controls", "loop", "muted", "preload"],
  b: [],
  bdi: [],
  bdo: [],
  blockquote: ["cite"],
  br: [],
  caption: [],
  cite: [],
  code: [],
  col: ["span"],
  colgroup: ["span"],
  data: ["value"],
  dd: [],
  del: ["cite", "datetime"],
  details: ["open"],
  dfn: [],
  div: [],
  dl: [],
  dt: [],
  em: [],
  figcaption: [],
  figure: [],
  footer: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  header: [],
  hr: [],
  i: [],
  img: ["src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"],
  ins: ["cite", "datetime"],
  kbd: [],
  li: ["value"],
  mark: [],
  ol: ["start", "reversed", "type"],
  p: [],
  picture: [],
  pre: [],
  q: ["cite"],
  rp: [],
  rt: [],
  ruby: [],
  s: [],
  samp: [],
  section: [],
  small: [],
  source: ["src", "srcset", "sizes", "type", "media"],
  span: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: ["colspan", "rowspan", "headers"],
  tfoot: [],
  th: ["colspan", "rowspan", "headers", "scope", "abbr"],
  thead: [],
  time: ["datetime"],
  tr: [],
  track: ["src", "kind", "srclang", "label", "default"],
  u: [],
  ul: [],
  var: [],
  video: ["src", "controls", "loop", "muted", "preload", "poster", "width", "height", "playsinline"],
  wbr: [],
};
const GLOBAL_ATTRIBUTES = new Set(["class", "title", "lang", "dir", "translate"]);
const URL_ATTRIBUTES = new Set(["href", "src", "cite", "poster"]);
/** Elements whose content goes with them when they are dropped (it is code, or a control's text). */
const DROPPED_WITH_CONTENT = new Set(["script", "style", "template", "textarea", "select", "iframe", "object", "noscript", "title", "xmp"]);
/** Schemes an address may have; one without a scheme (relative, `#…`, `/…`) is fine too. */
const SAFE_SCHEMES = new Set(["http", "https", "mailto", "tel"]);

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n", nbsp: " " };

/** An attribute value as the browser reads it (entities decoded), for the scheme check; null when it hides behind an entity we do not know. */
function decoded(value: string): string | null {
  let unknown = false;
  const text = value.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*)(;?)/gi, (whole, e: string, semicolon: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
    }
    const named = NAMED[e.toLowerCase()];
    if (named !== undefined) return named;
    // `&b=2` in a query is text to a browser too (only a name it knows, or one closed by `;`, is a reference).
    if (!semicolon) return whole;
    unknown = true;
    return "";
  });
  return unknown ? null : text;
}

/** Whether an address is of a safe kind (browsers ignore controls and spaces in a scheme, so the check does too). */
export function safeUrl(value: string): boolean {
  const text = decoded(value);
  if (text === null) return false;
  const compact = text.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return !scheme || SAFE_SCHEMES.has(scheme[1]!.toLowerCase());
}

const safeSrcset = (value: string) => value.split(",").every((candidate) => safeUrl(candidate.trim().split(/\s+/)[0] ?? ""));

/** What the filter reports besides element (`<form>`) and attribute (`style=`) names. */
const DROPPED = {
  handlers: "event handlers (on…=)",
  addresses: "addresses other than http, https, mailto and tel (javascript: …)",
  declarations: "<!…> and <?…> declarations",
} as const;

/** Whether `item` is one of the filter's own reports (an element, an attribute or one of DROPPED), so a page may show it. */
export const isDroppedReport = (item: string) =>
  /^(?:<[a-z][a-z0-9-]{0,30}>|[a-z][a-z0-9:_-]{0,40}=)$/.test(item) || (Object.values(DROPPED) as string[]).includes(item);

interface Attribute {
  name: string;
  value: string | null;
  quote: '"' | "'" | "";
}

/** Reads a tag starting at `<` at `at`; null when it is not a complete tag (then the `<` is text). */
function readTag(html: string, at: number): { end: number; closing: boolean; name: string; attributes: Attribute[] } | null {
  const head = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(at, at + 80));
  if (!head) return null;
  let i = at + head[0].length;
  const attributes: Attribute[] = [];
  const attribute = /[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;
  for (;;) {
    const spaces = /[\s/]*/y;
    spaces.lastIndex = i;
    spaces.exec(html);
    i = spaces.lastIndex;
    if (i >= html.length) return null;
    if (html[i] === ">") break;
    attribute.lastIndex = i;
    const m = attribute.exec(html);
    if (!m) return null;
    i = attribute.lastIndex;
    const [, name, dq, sq, bare] = m;
    attributes.push({
      name: name!.toLowerCase(),
      value: dq ?? sq ?? bare ?? null,
      quote: dq !== undefined ? '"' : sq !== undefined ? "'" : "",
    });
  }
  return { end: i + 1, closing: head[1] === "/", name: head[2]!.toLowerCase(), attributes };
}

function allowedAttribute(element: string, a: Attribute, dropped: Set<string>): boolean {
  const own = ELEMENTS[element]!;
  if (!GLOBAL_ATTRIBUTES.has(a.name) && !own.includes(a.name)) {
    dropped.add(a.name.startsWith("on") ? DROPPED.handlers : `${a.name}=`);
    return false;
  }
  if (a.value !== null && (URL_ATTRIBUTES.has(a.name) ? !safeUrl(a.value) : a.name === "srcset" && !safeSrcset(a.value))) {
    dropped.add(DROPPED.addresses);
    return false;
  }
  return true;
}

function serialise(name: string, attributes: Attribute[]): string {
  const parts = attributes.map((a) => {
    if (a.value === null) return ` ${a.name}`;
    const quote = a.quote || '"';
    return ` ${a.name}=${quote}${a.quote ? a.value : a.value.replace(/"/g, "&quot;")}${quote}`;
  });
  if (name === "a" && attributes.some((a) => a.name === "target")) {
    // A link that opens a window never hands it this page.
    if (!attributes.some((a) => a.name === "rel")) parts.push(' rel="noopener"');
  }
  return `<${name}${parts.join("")}>`;
}

/**
 * Filters an HTML fragment to the allowlist above; what was dropped is added to `dropped`
 * ("<form>", "onclick" …). Text is kept as it was; a `<` that starts no tag becomes `&lt;`.
 */
export function filterHtml(html: string, dropped: Set<string>): string {
  let out = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith("<!--", lt)) {
      // Comments are dropped (an unclosed one would hide the rest of the page).
      const close = html.indexOf("-->", lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    if (/^<[!?]/.test(html.slice(lt, lt + 2))) {
      const close = html.indexOf(">", lt);
      dropped.add(DROPPED.declarations);
      i = close < 0 ? html.length : close + 1;
      continue;
    }
    const tag = readTag(html, lt);
    if (!tag) {
      out += "&lt;";
      i = lt + 1;
      continue;
    }
    i = tag.end;
    if (!(tag.name in ELEMENTS)) {
      dropped.add(`<${tag.name}>`);
      if (!tag.closing && DROPPED_WITH_CONTENT.has(tag.name)) {
        const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
        if (close >= 0) {
          const end = html.indexOf(">", close);
          i = end < 0 ? html.length : end + 1;
        }
      }
      continue;
    }
    out += tag.closing
      ? `</${tag.name}>`
      : serialise(
          tag.name,
          tag.attributes.filter((a) => allowedAttribute(tag.name, a, dropped)),
        );
  }
  return out;
}

const lexer = new Marked({ gfm: true });

/** Every raw HTML piece of a Markdown text, in the order it appears (blocks and inline tags alike). */
function htmlPieces(markdown: string): string[] {
  const pieces: string[] = [];
  lexer.walkTokens(lexer.lexer(markdown), (t: Token) => {
    if (t.type === "html") pieces.push(t.raw);
  });
  return pieces;
}

export type FilteredMarkdown = { ok: true; markdown: string; dropped: string[] } | { ok: false; dropped: string[] };

/**
 * A post's Markdown with its raw HTML filtered, for an author who may not post unfiltered HTML:
 * the Markdown itself is untouched, only the HTML in it changes. `ok: false` when an HTML piece
 * could not be found in the text to filter it (HTML spread over quoted or indented lines): the
 * save is then refused, never stored unfiltered.
 */
export function filterPostMarkdown(markdown: string): FilteredMarkdown {
  const dropped = new Set<string>();
  let out = "";
  let cursor = 0;
  let lost = false;
  for (const raw of htmlPieces(markdown)) {
    const clean = filterHtml(raw, dropped);
    if (clean === raw) continue;
    const at = markdown.indexOf(raw, cursor);
    if (at < 0) {
      lost = true;
      continue;
    }
    out += markdown.slice(cursor, at) + clean;
    cursor = at + raw.length;
  }
  out += markdown.slice(cursor);
  // What the filtered text parses to must pass the filter unchanged, or it is not stored.
  const again = new Set<string>();
  const clean = !lost && htmlPieces(out).every((raw) => filterHtml(raw, again) === raw);
  return clean ? { ok: true, markdown: out, dropped: [...dropped].sort() } : { ok: false, dropped: [...dropped, ...again].sort() };
}
