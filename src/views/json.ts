import type { BlogConfig } from "../config";
import type { PostSummaryRecord } from "../content/types";
import type { VisiblePost } from "../data/posts";
import type { CommentView } from "../durable/comment-thread";
import { commentHtml } from "./components/comment-body";

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

/** The API's Post: the summary plus the rendered HTML body. */
export function apiPost(p: VisiblePost, blog: BlogConfig) {
  return { ...apiSummary(p, blog), html: p.html };
}

export function pagination(page: number, limit: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return { page, limit, pages, total, next: page < pages ? page + 1 : null, prev: page > 1 ? page - 1 : null };
}

/** The API's Comment: never the commenter's email or IP. */
export function apiComment(c: CommentView) {
  return {
    id: c.id,
    postSlug: c.postSlug,
    parentId: c.parentId,
    author: c.author,
    html: commentHtml(c.doc),
    createdAt: c.createdAt,
    editedAt: c.editedAt,
  };
}
