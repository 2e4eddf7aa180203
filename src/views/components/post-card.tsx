import type { BlogConfig } from "../../settings";
import type { PostSummaryRecord } from "../../content/types";
import { PostedOn, TagList } from "./post-meta";

export function PostCard({ post, blog, comments = 0 }: { post: PostSummaryRecord; blog: BlogConfig; comments?: number }) {
  const href = `/posts/${post.slug}`;
  return (
    <article class="card">
      <h2>
        <a href={href}>{post.title}</a>
      </h2>
      <PostedOn date={post.date} author={post.author ?? blog.author} readingTime={post.readingTime} timeZone={blog.timeZone} />
      <p class="summary">{post.summary}</p>
      <TagList tags={post.tags} />
      <p class="more">
        <a href={href}>
          Read more<span class="visually-hidden">: {post.title}</span>
        </a>
        {comments > 0 ? (
          <>
            {" · "}
            <a href={`${href}#comments`}>
              {comments} {comments === 1 ? "comment" : "comments"}
            </a>
          </>
        ) : null}
      </p>
    </article>
  );
}
