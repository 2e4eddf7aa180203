/**
 * The whole post by mail: the HTML the blog renders, laid out for mail clients, which drop the
 * blog's stylesheet (and many any <style>): one centred column of at most 600 px in tables, each
 * element's style inline, links and images absolute, videos as links (no client plays a frame),
 * light and dark schemes both readable; and a plain-text part made from the same HTML. The
 * layout is a static asset (public/templates/post-mail.html, read once per isolate), like the
 * catalogs: the worker's bundle carries only what fills it.
 */
import { type Messages, messagesFor, say } from "../core/i18n";
import { accentPalette } from "../core/theme";
import { decodeEntities, escapeHtml } from "../core/text";
import type { PostRecord } from "../core/types";
import type { BlogConfig } from "../settings";
import type { Mail } from "./mailer";
import { headerText } from "./messages";

/** The layout's file in public/templates/. */
export const POST_MAIL = "post-mail.html";

/** The page a player shows, for a link: a mail client plays no frame. */
const videoPage = (src: string) =>
  src
    .replace(/^https:\/\/www\.youtube-nocookie\.com\/embed\/([\w-]+).*/, "https://www.youtube.com/watch?v=$1")
    .replace(/^https:\/\/player\.vimeo\.com\/video\/(\d+).*/, "https://vimeo.com/$1");

/** An address of the blog's HTML (entities and all) made absolute, written back as an attribute. */
function absolute(value: string, base: string): string {
  let url = decodeEntities(value);
  try {
    url = new URL(url, `${base}/`).href;
  } catch {
    // Kept as written: a client shows it as the page would.
  }
  return escapeHtml(url);
}

/** The post's HTML as mail clients show it: `styles` by element (the layout's), `accent` the links' colour. */
export function mailHtml(html: string, base: string, styles: Record<string, string>, accent: string, watch: string): string {
  return html
    .replace(
      /<iframe\b[^>]*\bsrc="([^"]*)"[^>]*>\s*<\/iframe>/gi,
      (_, src: string) => `<a href="${escapeHtml(videoPage(decodeEntities(src)))}">▶ ${escapeHtml(watch)}</a>`,
    )
    .replace(/\s(?:srcset|sizes|loading|decoding)="[^"]*"/gi, "")
    .replace(/\s(href|src)="([^"]*)"/gi, (_, name: string, value: string) => ` ${name}="${absolute(value, base)}"`)
    .replace(/<(\w+)(?=[\s>/])/g, (whole, tag: string) => {
      const style = tag === "a" ? `color:${accent};` : styles[tag.toLowerCase()];
      return style ? `${whole} style="${style}"` : whole;
    });
}

/** The plain-text part: the same words, links written out, images by their alternative text. */
export function mailText(html: string): string {
  return decodeEntities(
    html
      .replace(/<img\b[^>]*?\balt="([^"]*)"[^>]*>/gi, (_, alt: string) => (alt ? `[${alt}]` : ""))
      .replace(/<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, inner: string) => {
        const text = inner.replace(/<[^>]+>/g, "").trim();
        return text && decodeEntities(text) !== decodeEntities(href) ? `${text} (${href})` : href;
      })
      .replace(/\s*<li\b[^>]*>/gi, "\n- ")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(?:p|h\d|ul|ol|pre|blockquote|figure|table|tr|div)>/gi, "\n\n")
      .replace(/<\/t[dh]>/gi, "\t")
      .replace(/<[^>]+>/g, ""),
  )
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The layout (public/templates/post-mail.html) read: its styles for the post's elements (the
 * JSON comment `<!--styles {…}-->`) and the page with its `{{places}}`, its other comments left out.
 */
export function postLayout(template: string): PostLayout {
  const styles = /<!--styles(\{[\s\S]*?\})-->/.exec(template)?.[1];
  return { styles: styles ? JSON.parse(styles) : {}, page: template.replace(/<!--[\s\S]*?-->\s*/g, "") };
}

export interface PostLayout {
  styles: Record<string, string>;
  page: string;
}

/** The layout's places filled; each value is HTML already. */
const fill = (page: string, values: Record<string, string>) => page.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");

/** Who a post mail is for: a subscriber (with their one-click unsubscribe), or the writer's test. */
export type PostMailTo = { email: string; subscriberId: number; unsubscribeToken: string } | { email: string; test: true };

/** The date as the post page writes it, in the blog's time zone and language. */
const dateText = (iso: string, blog: BlogConfig, t: Messages) =>
  new Intl.DateTimeFormat(t.locale, { dateStyle: "long", timeZone: blog.timeZone }).format(new Date(iso));

/**
 * A post, whole, as its subscribers receive it (or, `test`, as its writer tries it): what is the
 * same in every copy (the post's mail HTML and text, its date, the blog's colours) is made once,
 * and each recipient's copy only adds their unsubscribe link.
 */
export function postLetter(blog: BlogConfig, post: PostRecord, layout: PostLayout): (to: PostMailTo) => Mail {
  const t = messagesFor(blog.language);
  const w = t.mail;
  const base = blog.baseUrl;
  const link = `${base}/posts/${post.slug}`;
  const { light, dark } = accentPalette(blog.look.accent ?? "#1d4ed8");
  const body = mailHtml(post.html, base, layout.styles, light, w.watchVideo);
  const bodyText = mailText(body);
  const cover = post.cover
    ? `<img src="${absolute(post.cover, base)}" alt="" width="544" style="${layout.styles.img ?? ""}margin:0 0 1.2em;">`
    : "";
  const logo = blog.look.logo
    ? `<img src="${absolute(blog.look.logo, base)}" alt="" height="32" style="height:32px;width:auto;border:0;vertical-align:middle;margin-right:8px;">`
    : "";
  const posted = `${t.post.postedOn} ${dateText(post.date, blog, t)}`;
  const subject = headerText(`${post.title} — ${blog.title}`);
  const e = escapeHtml;
  const places = {
    lang: e(blog.language),
    title: e(post.title),
    summary: e(post.summary),
    accent: light,
    dark,
    link: e(link),
    viewInBrowser: e(w.viewInBrowser),
    logo,
    base: e(base),
    blog: e(blog.title),
    posted: e(posted),
    cover,
    body,
    comment: e(t.comments.title),
    why: e(say(w.why, { blog: blog.title })),
    unsubscribe: e(w.unsubscribe),
  };
  return (to): Mail => {
    const test = "test" in to;
    const unsubscribe = test ? `${base}/follow` : `${base}/unsubscribe?token=${encodeURIComponent(to.unsubscribeToken)}`;
    const text = [
      ...(test ? [w.testNote, ""] : []),
      post.title,
      posted,
      "",
      bodyText,
      "",
      say(w.readIt, { link }),
      "",
      "—",
      say(w.why, { blog: blog.title }),
      say(w.unsubscribeIn1Click, { link: unsubscribe }),
    ].join("\n");
    return {
      to: to.email,
      subject: test ? headerText(say(w.testSubject, { subject })) : subject,
      text,
      html: fill(layout.page, { ...places, testNote: test ? `${e(w.testNote)} · ` : "", unsubscribeLink: e(unsubscribe) }),
      headers: test ? {} : { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      // One per post and subscriber: a step retried after a crash is dropped by the provider.
      idempotencyKey: test ? `test:${post.slug}:${to.email}:${Date.now()}` : `post:${post.slug}:${to.subscriberId}`,
    };
  };
}
