import type { BlogConfig } from "../settings";
import type { PostSummaryRecord } from "../core/types";
import type { VisiblePost } from "../data/posts";

/** The API's PostSummary. */
export function apiSummary(p: PostSummaryRecord, blog: BlogConfig) {
  return {
    slug: p.slug,
    title: p.title,
    date: p.date,
    updated: p.updated,
    author: p.author ?? blog.author,
    tags: p.tags,
    summary: p.summary,
    url: `${blog.baseUrl}/posts/${p.slug}`,
  };
}

/** The API's Post: the summary plus the rendered HTML body; a page says so, and answers at /pages/. */
export function apiPost(p: VisiblePost, blog: BlogConfig) {
  if (p.type === "page") {
    return { ...apiSummary(p, blog), url: `${blog.baseUrl}/pages/${p.slug}`, type: "page" as const, comments: !!p.comments, html: p.html };
  }
  return { ...apiSummary(p, blog), html: p.html };
}

/** Page links of a listing; past the end, `prev` leads back to the last real page. */
export function pagination(page: number, limit: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return { page, limit, pages, total, next: page < pages ? page + 1 : null, prev: page > 1 ? Math.min(page - 1, pages) : null };
}
