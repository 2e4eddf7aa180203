import { escapeHtml } from "./text";

/**
 * Embedded frames in a post's HTML. YouTube and Vimeo frames, however they were written (an
 * import's `<iframe src="https://www.youtube.com/embed/…">`, a `youtu.be` or `watch?v=` address),
 * become the privacy-enhanced player — youtube-nocookie.com, Vimeo with `dnt=1` — the only frame
 * sources the pages' Content-Security-Policy allows (FRAME_SOURCES). Any other frame becomes a
 * link to its address: the policy would block it, leaving a grey box.
 */
export const FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"] as const;

const IFRAME = /<iframe\b([^>]*)>(?:[\s\S]*?<\/iframe\s*>)?/gi;
const ATTR = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i");

function attr(attrs: string, name: string): string | null {
  const m = ATTR(name).exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? "") : null;
}

/** The player address for a YouTube or Vimeo address, or null. */
export function playerUrl(src: string): string | null {
  let url: URL;
  try {
    url = new URL(src.replace(/&amp;/g, "&"), "https://invalid.example");
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^www\.|^m\./, "");
  const id = (s: string | null | undefined) => (s && /^[A-Za-z0-9_-]{6,20}$/.test(s) ? s : null);
  let video: string | null = null;
  if (host === "youtube.com" || host === "youtube-nocookie.com") {
    video =
      id(url.pathname.match(/^\/(?:embed|shorts|live)\/([^/?#]+)/)?.[1]) ??
      (url.pathname === "/watch" ? id(url.searchParams.get("v")) : null);
  } else if (host === "youtu.be") video = id(url.pathname.slice(1));
  if (video) return `https://www.youtube-nocookie.com/embed/${video}`;
  if (host === "vimeo.com" || host === "player.vimeo.com") {
    const v = url.pathname.match(/^\/(?:video\/)?(\d{3,12})(?:\/|$)/)?.[1];
    if (v) return `https://player.vimeo.com/video/${v}?dnt=1`;
  }
  return null;
}

/**
 * A player as the pages show it: lazy, no referrer beyond the origin, in a figure that keeps 16:9.
 * Without a title of its own the frame is named by its service, a name the same in every language.
 */
export function playerHtml(player: string, title?: string | null): string {
  title ||= player.startsWith(FRAME_SOURCES[0]) ? "YouTube" : "Vimeo";
  return (
    `<figure class="embed"><iframe src="${escapeHtml(player)}" title="${escapeHtml(title)}" loading="lazy" ` +
    `referrerpolicy="strict-origin-when-cross-origin" allow="fullscreen; picture-in-picture; encrypted-media" allowfullscreen></iframe></figure>`
  );
}

/**
 * Rewrites the frames of an HTML fragment: players as above; any other frame as a link (its
 * address added to `others`). With `filter` (an author without unfiltered HTML), the text around
 * the frames goes through it, and so does any frame that is no player (the filter drops it).
 */
export function rewriteFrames(html: string, others: string[] = [], filter?: (fragment: string) => string): string {
  if (!/<iframe\b/i.test(html)) return filter ? filter(html) : html;
  const keep = filter ?? ((fragment: string) => fragment);
  let out = "";
  let last = 0;
  for (const m of html.matchAll(IFRAME)) {
    out += keep(html.slice(last, m.index));
    last = m.index + m[0].length;
    const attrs = m[1] ?? "";
    const src = attr(attrs, "src") ?? "";
    const player = playerUrl(src);
    if (player) out += playerHtml(player, attr(attrs, "title"));
    else if (filter) out += filter(m[0]);
    else if (/^https?:\/\//i.test(src)) {
      others.push(src);
      out += `<a href="${escapeHtml(src)}">${escapeHtml(src)}</a>`;
    }
  }
  return out + keep(html.slice(last));
}
