import type { BlogConfig } from "../../settings";
import type { PostSummaryRecord } from "../../core/types";
import { PostedOn } from "./post-meta";
import { counted, messagesFor } from "../../core/i18n";

/** A post in a listing: its cover, title, byline and excerpt, and its comments when it has some (tags are on the post). */
export function PostCard({ post, blog, comments = 0 }: { post: PostSummaryRecord; blog: BlogConfig; comments?: number }) {
  const href = `/posts/${post.slug}`;
  const t = messagesFor(blog.language);
  return (
    <article class={post.cover ? "card has-cover" : "card"}>
      {post.cover ? (
        <div class="card-cover">
          <img src={post.cover} alt="" loading="lazy" decoding="async" />
        </div>
      ) : null}
      <div class="card-text">
        <h2>
          <a href={href}>{post.title}</a>
        </h2>
        <PostedOn date={post.date} author={post.author ?? blog.author} readingTime={post.readingTime} timeZone={blog.timeZone} t={t} />
        <p class="summary">{post.summary}</p>
        {comments > 0 ? (
          <p class="more">
            <a href={`${href}#comments`}>{counted(t, t.comments.count, comments)}</a>
          </p>
        ) : null}
      </div>
    </article>
  );
}
