import { varyOn } from "../http/freshness";
import { counted, messagesFor, number, say } from "../core/i18n";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import type { BlogStore, ListingRef } from "../core/keys";
import { NUMERIC_ID } from "../core/vocabulary";
import { commentCounts } from "../data/comments";
import { getListingPage } from "../data/posts";
import { notFound } from "../errors";
import { ownComments, rememberedName } from "../http/commenter";
import { prefersJson } from "../http/negotiate";
import { type AppEnv, wordsOf } from "../settings";
import { apiPost } from "../views/json";
import { openApiDocument } from "../data/openapi";
import { openApiFor } from "../views/openapi";
import { ApiDocsPage } from "../views/pages/api-docs";
import { ArchivePage } from "../views/pages/archive";
import { ListingPage } from "../views/pages/listing";
import { NO_POST, renderPostPage, requirePost } from "./post-page";
import { pageQuery, pageSlugParam, tagParam, validate, validQuery } from "./validation";

const PAGE_SIZE = 10;
const ARCHIVE_PAGE_SIZE = 100;

/** One page of a listing, or 404 past its last page. */
async function listing(store: BlogStore, ref: ListingRef, page: number, size: number) {
  const result = await getListingPage(store, ref, (page - 1) * size, size, new Date());
  const total = result?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / size));
  if (page > pages) throw notFound(`There is no page ${page} here; the last page is ${pages}.`);
  const posts = result?.items ?? [];
  return { name: result?.name ?? "", posts, total, pages };
}

const postQuery = z.object({ replyto: z.optional(z.string()), comment: z.optional(z.string()), id: z.optional(z.string()) });

/** The reader's pages: home, post, tag, archive, and the API's own page. */
/**
 * A post at /posts/<slug>, a page at /pages/<slug> (each moves to its own address when asked at
 * the other's: see renderPostPage); JSON to clients that prefer it. Slug and query are validated.
 */
async function showPost(c: Context<AppEnv>, at: "posts" | "pages") {
  const slug = c.req.param("slug")!;
  const { replyto, comment, id } = c.req.query();
  varyOn(c, "Accept");
  if (prefersJson(c)) {
    const post = await requirePost(c.var.store, slug);
    if ((post.type === "page") !== (at === "pages")) throw notFound(NO_POST);
    return c.json({ post: apiPost(post, c.var.settings.blog) });
  }
  const replyTo = replyto && NUMERIC_ID.test(replyto) ? Number(replyto) : undefined;
  const notice = comment === "held" ? wordsOf(c).comments.held : undefined;
  // Back from posting (the form, without JavaScript): the reader's own comments get "Edit", their name is offered again.
  if (comment === "held" || comment === "posted") {
    const posted = comment === "posted" && id && NUMERIC_ID.test(id) ? Number(id) : undefined;
    const own = ownComments(c);
    const author = rememberedName(c);
    return renderPostPage(c, slug, { at, replyTo, form: { notice, own, posted, values: author ? { author } : undefined } });
  }
  return renderPostPage(c, slug, { at, replyTo, form: { notice } });
}

const pages = new Hono<AppEnv>()
  .get("/", validQuery(pageQuery), async (c) => {
    const { page = 1 } = c.req.valid("query");
    const { blog } = c.var.settings;
    const t = messagesFor(blog.language);
    const { posts, pages } = await listing(c.var.store, { kind: "home" }, page, PAGE_SIZE);
    const counts = await commentCounts(
      c.var.store,
      posts.map((p) => p.slug),
    );
    return c.render(
      <ListingPage blog={blog} heading={t.listing.latestPosts} posts={posts} counts={counts} path="/" page={page} pages={pages} />,
      {
        title: page > 1 ? say(t.listing.page, { title: t.listing.latestPosts, n: number(t, page) }) : undefined,
        path: page > 1 ? `/?page=${page}` : "/",
      },
    );
  })
  .get("/posts/:slug", pageSlugParam, validate("query", postQuery), (c) => showPost(c, "posts"))
  .get("/pages/:slug", pageSlugParam, validate("query", postQuery), (c) => showPost(c, "pages"))
  .get(
    "/tags/:tag",
    validate("param", z.object({ tag: tagParam }), { code: "not_found", message: "No published post has this tag." }),
    validQuery(pageQuery),
    async (c) => {
      const { tag } = c.req.valid("param");
      const { page = 1 } = c.req.valid("query");
      const { blog } = c.var.settings;
      const t = messagesFor(blog.language);
      const { name, posts, total, pages } = await listing(c.var.store, { kind: "tag", slug: tag }, page, PAGE_SIZE);
      if (total === 0) throw notFound("No published post has this tag.");
      const path = `/tags/${encodeURIComponent(tag)}`;
      const counts = await commentCounts(
        c.var.store,
        posts.map((p) => p.slug),
      );
      return c.render(
        <ListingPage
          blog={blog}
          heading={say(t.listing.tagged, { name })}
          intro={counted(t, t.listing.posts, total)}
          posts={posts}
          counts={counts}
          path={path}
          page={page}
          pages={pages}
        />,
        {
          title:
            page > 1
              ? say(t.listing.page, { title: say(t.listing.tagged, { name }), n: number(t, page) })
              : say(t.listing.tagged, { name }),
          path: page > 1 ? `${path}?page=${page}` : path,
          feed: { title: `${blog.title}: ${name} (Atom)`, path: `${path}/feed.xml` },
        },
      );
    },
  )
  .get("/api", async (c) => {
    const doc = openApiFor(await openApiDocument(c.env), c.var.settings.blog);
    return c.render(<ApiDocsPage doc={doc} />, { title: "API", path: "/api" });
  })
  .get("/archive", validQuery(pageQuery), async (c) => {
    const { page = 1 } = c.req.valid("query");
    const { blog } = c.var.settings;
    const { posts, total, pages } = await listing(c.var.store, { kind: "home" }, page, ARCHIVE_PAGE_SIZE);
    const t = messagesFor(blog.language);
    return c.render(<ArchivePage blog={blog} posts={posts} total={total} page={page} pages={pages} />, {
      title: page > 1 ? say(t.listing.page, { title: t.archive.title, n: number(t, page) }) : t.archive.title,
      path: page > 1 ? `/archive?page=${page}` : "/archive",
    });
  });

export default pages;
