import type { Child } from "hono/jsx";
import { jsxRenderer } from "hono/jsx-renderer";
import { blogConfig, type BlogConfig } from "../config";

export interface PageProps {
  /** The page's own title; the blog title is added after it. */
  title?: string;
  description?: string;
  /** The path of the page's canonical URL. */
  path?: string;
}

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

export function Document({ blog, title, description, path, children }: PageProps & { blog: BlogConfig; children?: Child }) {
  const fullTitle = title ? `${title} — ${blog.title}` : blog.title;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={description || blog.description} />
        {path ? <link rel="canonical" href={`${blog.baseUrl}${path}`} /> : null}
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="wrap">
            <p class="site-title">
              <a href="/">{blog.title}</a>
            </p>
            {blog.description ? <p class="tagline">{blog.description}</p> : null}
            <nav class="site-nav" aria-label="Site">
              <a href="/">Home</a>
              <a href="/archive">Archive</a>
              <a href="/follow">Follow this blog</a>
              <a href="/admin">Administration</a>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              {blog.title} · <a href="/archive">All posts</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

export const renderer = jsxRenderer(({ children, title, description, path }, c) => (
  <Document blog={blogConfig(c.env, c.req.url)} title={title} description={description} path={path}>
    {children}
  </Document>
));
