import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { escapeHtml } from "../core/text";
import { MAX_QUERY_LENGTH } from "../core/vocabulary";
import { searchPosts } from "../data/search";
import { messagesFor, number, say } from "../core/i18n";
import { AppError } from "../errors";
import type { AppEnv } from "../settings";
import { apiSummary, pagination } from "../views/json";
import { SearchPage } from "../views/pages/search";
import { validate, validQuery, wholeNumber } from "./validation";

const PAGE_SIZE = 10;

const q = z.string().check(z.maxLength(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`));

export const searchQuery = z.object({
  q: z.optional(q),
  page: z.optional(wholeNumber("page", 1000)),
  limit: z.optional(wholeNumber("limit", 50)),
});

/** GET /api/search: JSON results with highlighted snippets. */
export const searchApi = new Hono<AppEnv>().get("/search", validQuery(searchQuery), async (c) => {
  const { q: query = "", page = 1, limit = PAGE_SIZE } = c.req.valid("query");
  if (!query.trim()) throw new AppError("invalid_query", "q is required: the words to search for.");
  const { blog } = c.var.settings;
  const result = await searchPosts(c.var.store, query, (page - 1) * limit, limit, new Date());
  return c.json({
    results: result.hits.map(({ post, score, snippet }) => ({
      ...apiSummary(post, blog),
      score,
      snippet: snippet.map((s) => s.text).join(""),
      snippetHtml: snippet.map((s) => (s.hit ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join(""),
    })),
    meta: {
      query: { q: query, terms: result.terms },
      pagination: pagination(page, limit, result.total),
    },
  });
});

/** GET /search: the HTML page; an empty query shows just the form. */
export const searchPages = new Hono<AppEnv>().get(
  "/search",
  validate("query", z.object({ q: z.optional(z.string()), page: z.optional(z.string()) })),
  async (c) => {
    const { q: raw = "", page: pageText } = c.req.valid("query");
    const { blog } = c.var.settings;
    const t = messagesFor(blog.language);
    const page = pageText && /^\d{1,4}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
    if (raw.length > MAX_QUERY_LENGTH) {
      c.status(400);
      return c.render(
        <SearchPage
          blog={blog}
          q={raw.slice(0, MAX_QUERY_LENGTH)}
          hits={[]}
          total={0}
          page={1}
          pages={1}
          error={say(t.search.tooLong, { n: number(t, MAX_QUERY_LENGTH) })}
        />,
        {
          title: t.search.title,
          noindex: true,
        },
      );
    }
    const query = raw.trim();
    const result = query
      ? await searchPosts(c.var.store, query, (page - 1) * PAGE_SIZE, PAGE_SIZE, new Date())
      : { hits: [], total: 0, terms: [] };
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    return c.render(
      <SearchPage blog={blog} q={query} hits={result.hits} total={result.total} page={Math.min(page, pages)} pages={pages} />,
      {
        title: query ? say(t.search.titleFor, { q: query }) : t.search.title,
        noindex: true,
      },
    );
  },
);
