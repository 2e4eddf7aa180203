import type { BlogConfig } from "../../settings";
import type { PostSummaryRecord } from "../../core/types";
import { Pagination } from "../components/pagination";
import { PostCard } from "../components/post-card";
import { memo } from "../memo";
import { messagesFor } from "../../core/i18n";

/** The home page and tag pages: a heading, post cards and pagination. */
export function ListingPage(props: {
  blog: BlogConfig;
  heading: string;
  intro?: string;
  posts: PostSummaryRecord[];
  counts: Map<string, number>;
  path: string;
  page: number;
  pages: number;
}) {
  const t = messagesFor(props.blog.language);
  return (
    <>
      <h1 class="page-title">{props.heading}</h1>
      {props.intro ? <p class="intro">{props.intro}</p> : null}
      {props.posts.length ? (
        props.posts.map((post) => {
          const comments = props.counts.get(post.slug) ?? 0;
          // A card is built once per listing version, comment count and byline settings (views/memo.ts).
          return memo(post, `${comments}\n${props.blog.author}\n${props.blog.timeZone}\n${t.locale}`, () => (
            <PostCard post={post} blog={props.blog} comments={comments} />
          ));
        })
      ) : (
        <p class="empty">{t.listing.nothingYet}</p>
      )}
      <Pagination path={props.path} page={props.page} pages={props.pages} t={t} />
    </>
  );
}
