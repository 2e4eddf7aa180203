import { html, raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { MiddlewareHandler } from "hono";
import { THEME_FONTS } from "../core/theme";
import type { AppEnv, BlogConfig } from "../settings";
import type { MostRead } from "../core/stats";
import { contentValidator } from "../core/hash";
import { BoundedMap, getOrMake } from "../core/maps";
import { adminMessagesFor, messagesFor } from "../core/i18n";
import { renderWithWords } from "./admin-words";

export interface PageProps {
  /** The blog's most read posts, in the footer (where the blog shows them). */
  mostRead?: MostRead["posts"];
  /** The page's own title; the blog title is added after it. */
  title?: string;
  description?: string;
  /** The path of the page's canonical URL. */
  path?: string;
  /** An extra Atom feed for this page (a tag's). */
  feed?: { title: string; path: string };
  /** Open Graph article data, on post pages. */
  article?: { published: string; modified: string | null; author: string; tags: string[] };
  /** schema.org data for a JSON-LD block. */
  jsonLd?: Record<string, unknown>;
  /** Keep search engines off this page (search results, error pages). */
  noindex?: boolean;
  /** A same-site path to move on to at once (a hand-over page whose cookie a cross-site redirect would not carry). */
  refresh?: string;
  /** The page's image for link previews (a post's cover), as an absolute address. */
  image?: string;
  /** Administration pages get their own, wider layout. */
  admin?: boolean;
  /**
   * The language of the page's own words when it is not the blog's: the administration's pages,
   * sign-in and "+ Create my blog" speak the person's (the renderer sets it from the request).
   */
  lang?: string;
}

/** JSON for a <script type="application/ld+json"> block: nothing in it can close the element. */
function jsonLdText(data: Record<string, unknown>): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

declare module "hono" {
  // An interface, not a type alias: declaration merging needs one.
  interface ContextRenderer {
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

export function Document({
  blog,
  title,
  description,
  path,
  feed,
  article,
  jsonLd,
  noindex,
  refresh,
  image,
  admin,
  lang,
  mostRead,
  children,
}: PageProps & { blog: BlogConfig; children?: Child }) {
  const fullTitle = title ? `${title} — ${blog.title}` : blog.title;
  const summary = description || blog.description;
  const url = path ? `${blog.baseUrl}${path}` : undefined;
  const { look } = blog;
  const font = THEME_FONTS[look.theme];
  const t = messagesFor(blog.language);
  // The administration's frame is all in the person's language; a reader's frame around a page in
  // another language (sign-in) marks that page's language on <main>.
  const words = admin && lang ? adminMessagesFor(lang) : undefined;
  const mainLang = !admin && lang && lang !== blog.language ? lang : undefined;
  return (
    <html lang={words ? lang : blog.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={summary} />
        {noindex ? <meta name="robots" content="noindex" /> : null}
        {refresh ? <meta http-equiv="refresh" content={`0;url=${refresh}`} /> : null}
        {url ? <link rel="canonical" href={url} /> : null}
        <meta name="color-scheme" content="light dark" />
        <meta property="og:site_name" content={blog.title} />
        <meta property="og:type" content={article ? "article" : "website"} />
        <meta property="og:title" content={title ?? blog.title} />
        <meta property="og:description" content={summary} />
        {url ? <meta property="og:url" content={url} /> : null}
        <meta property="og:locale" content={t.locale.replace("-", "_")} />
        {article ? <meta property="article:published_time" content={article.published} /> : null}
        {article?.modified ? <meta property="article:modified_time" content={article.modified} /> : null}
        {article ? <meta property="article:author" content={article.author} /> : null}
        {article?.tags.map((t) => (
          <meta property="article:tag" content={t} />
        ))}
        {image ? <meta property="og:image" content={image} /> : null}
        <meta name="twitter:card" content={image ? "summary_large_image" : "summary"} />
        <meta name="twitter:title" content={title ?? blog.title} />
        <meta name="twitter:description" content={summary} />
        <link rel="alternate" type="application/atom+xml" title={`${blog.title} (Atom)`} href="/feed.xml" />
        <link rel="alternate" type="application/rss+xml" title={`${blog.title} (RSS)`} href="/rss.xml" />
        <link rel="alternate" type="application/feed+json" title={`${blog.title} (JSON Feed)`} href="/feed.json" />
        {feed ? <link rel="alternate" type="application/atom+xml" title={feed.title} href={feed.path} /> : null}
        {look.favicon ? (
          <link rel="icon" href={look.favicon} />
        ) : (
          <>
            <link rel="icon" href="/favicon.ico" sizes="32x32" />
            <link rel="icon" href="/icon.svg" type="image/svg+xml" />
          </>
        )}
        {font ? <link rel="preload" href={font} as="font" type="font/woff2" crossorigin="anonymous" /> : null}
        <link rel="stylesheet" href="/style.css" />
        <link rel="stylesheet" href={`/themes/${look.theme}.css`} />
        {/* Not on administration pages: they hold CSRF tokens an owner's selectors could probe. */}
        {look.cssVersion && !admin ? <link rel="stylesheet" href={`/blog.css?v=${look.cssVersion}`} /> : null}
        {/* Our own serialized data, escaped so it cannot leave the element. */}
        {jsonLd ? <script type="application/ld+json">{raw(jsonLdText(jsonLd))}</script> : null}
      </head>
      <body class={`theme-${look.theme}${admin ? " admin-page" : ""}`}>
        <a class="skip" href="#main">
          {words ? words.frame.skip : t.skipToContent}
        </a>
        {admin ? (
          // Administration wears its own quiet frame in every theme: no masthead, no Subscribe button.
          <header class="admin-bar">
            <div class="wrap admin-bar-inner">
              <p class="admin-brand">
                <a href="/admin">{blog.title}</a> <span class="admin-label">{words?.frame.administration ?? "Administration"}</span>
              </p>
              <nav class="admin-nav" aria-label={words?.frame.administration ?? "Administration"}>
                <a href="/admin">{words?.frame.dashboard ?? "Dashboard"}</a>
                <a href="/">{words?.frame.viewBlog ?? "View the blog"}</a>
              </nav>
            </div>
          </header>
        ) : (
          <header class="site-header">
            <div class="wrap masthead">
              <div class="brand">
                <p class="site-title">
                  <a href="/">
                    {look.logo ? <img class="logo" src={look.logo} alt="" height="40" /> : null}
                    <span>{blog.title}</span>
                  </a>
                </p>
                {blog.description ? <p class="tagline">{blog.description}</p> : null}
              </div>
              <a class="button subscribe-cta" href="/follow">
                {t.nav.subscribe}
              </a>
            </div>
            <div class="wrap">
              <nav class="site-nav" aria-label={t.nav.label}>
                {/* A phone folds the links under "Menu" without JavaScript; a wider screen shows them in a row (style.css). */}
                <details class="menu">
                  <summary>{t.nav.menu}</summary>
                  <div class="menu-links">
                    {blog.menu ? (
                      blog.menu.map((m) => <a href={m.href}>{m.label}</a>)
                    ) : (
                      <>
                        <a href="/">{t.nav.home}</a>
                        <a href="/archive">{t.nav.archive}</a>
                        <a href="/search">{t.nav.search}</a>
                        <a href="/follow">{t.nav.follow}</a>
                        <a href="/admin">{t.nav.administration}</a>
                      </>
                    )}
                  </div>
                </details>
              </nav>
            </div>
          </header>
        )}
        <main id="main" class="wrap" lang={mainLang}>
          {children}
        </main>
        {admin ? null : (
          <footer class="site-footer">
            <div class="wrap footer-grid">
              {mostRead ? (
                <nav class="most-read" aria-labelledby="most-read-title">
                  <p class="footer-title" id="most-read-title">
                    {t.nav.mostRead}
                  </p>
                  <ol>
                    {mostRead.map((p) => (
                      <li>
                        <a href={`/posts/${p.slug}`}>{p.title}</a>
                      </li>
                    ))}
                  </ol>
                </nav>
              ) : null}
              <p class="footer-title">{blog.title}</p>
              <nav aria-label={t.footer.label}>
                <a href="/follow">{t.nav.follow}</a>
                <a href="/feed.xml">{t.footer.atom}</a>
                <a href="/rss.xml">{t.footer.rss}</a>
                <a href="/archive">{t.footer.allPosts}</a>
                <a href="/admin">{t.nav.administration}</a>
                <a href={blog.createUrl}>{t.footer.createBlog}</a>
              </nav>
            </div>
          </footer>
        )}
      </body>
    </html>
  );
}

const encoder = new TextEncoder();
const HTML_TYPE = "text/html; charset=UTF-8";

/**
 * Where a page's own markup goes in its document. Only the document's markup can hold it: every
 * property reaches it as escaped text (or, in the JSON-LD, with "<" escaped), so no "<!--".
 */
const HOLE = "<!--page-->";

/**
 * The document around pages (head, masthead, footer), built once per blog settings object and page
 * properties, split where the page goes: a page read again pays for its own markup only.
 */
const shells = new WeakMap<BlogConfig, BoundedMap<string, [string, string]>>();
const MAX_SHELLS = 256;

async function shell(blog: BlogConfig, props: PageProps): Promise<[string, string]> {
  const byProps = getOrMake(shells, blog, () => new BoundedMap<string, [string, string]>(MAX_SHELLS));
  const key = JSON.stringify(props);
  const known = byProps.get(key);
  if (known) return known;
  const doc = `<!DOCTYPE html>${await (
    <Document blog={blog} {...props}>
      {raw(HOLE)}
    </Document>
  ).toString()}`;
  const at = doc.indexOf(HOLE);
  const made: [string, string] = [doc.slice(0, at), doc.slice(at + HOLE.length)];
  byProps.set(key, made);
  return made;
}

/**
 * The one page renderer, attached at the app (so no route depends on mount order): the document
 * around the page, and its ETag from the finished text (so no later step has to read the answer
 * back to validate it).
 */
export const renderer: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.setRenderer(async (content, given) => {
    const words = c.var.admin;
    // A copy: the routes' page properties are shared constants.
    const most = c.var.mostRead?.posts;
    const props = words
      ? { ...given, lang: given.lang ?? c.var.adminLanguage, title: given.title ?? (given.admin ? words.frame.administration : undefined) }
      : most?.length
        ? { ...given, mostRead: most }
        : given;
    const [before, after] = await shell(c.var.settings.blog, props);
    // A plain string is text, escaped as a child would be; markup arrives as JSX. The
    // administration's views read their words from the context around them.
    const page =
      typeof content === "string"
        ? html`${content}`
        : words
          ? await renderWithWords(words, () => (content as unknown as { toString(): string | Promise<string> }).toString())
          : await content;
    // Encoded once: the validator reads the bytes the answer sends.
    const bytes = encoder.encode(before + (await page.toString()) + after);
    c.header("ETag", `"${contentValidator(bytes)}"`);
    c.header("Content-Type", HTML_TYPE);
    return c.body(bytes);
  });
  await next();
};
