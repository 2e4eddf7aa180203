import { MAX_QUERY_LENGTH } from "../../core/vocabulary";
import type { BlogConfig } from "../../settings";
import type { Segment } from "../../core/search";
import type { SearchHit } from "../../data/search";
import { Pagination } from "../components/pagination";
import { PostedOn, TagList } from "../components/post-meta";
import { ErrorNote } from "../components/notes";

export function Snippet({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</>;
}

export function SearchForm({ q }: { q: string }) {
  return (
    <search>
      <form class="search-form" method="get" action="/search">
        <label for="search-q">Search the blog</label>
        <div class="subscribe-row">
          <input id="search-q" name="q" type="search" maxlength={MAX_QUERY_LENGTH} value={q} placeholder="Words to find" />
          <button type="submit">Search</button>
        </div>
      </form>
    </search>
  );
}

export function SearchPage(props: {
  blog: BlogConfig;
  q: string;
  hits: SearchHit[];
  total: number;
  page: number;
  pages: number;
  error?: string;
}) {
  const { blog, q, hits, total } = props;
  return (
    <>
      <h1 class="page-title">{q ? `Search: ${q}` : "Search"}</h1>
      <SearchForm q={q} />
      <ErrorNote message={props.error} />
      {q && !props.error ? (
        <p class="intro" aria-live="polite">
          {total === 0 ? "No post matches these words." : `${total} ${total === 1 ? "post matches" : "posts match"}.`}
        </p>
      ) : null}
      {hits.map(({ post, snippet }) => (
        <article class="card">
          <h2>
            <a href={`/posts/${post.slug}`}>{post.title}</a>
          </h2>
          <PostedOn date={post.date} author={post.author ?? blog.author} readingTime={post.readingTime} timeZone={blog.timeZone} />
          <p class="summary snippet">
            <Snippet segments={snippet} />
          </p>
          <TagList tags={post.tags} />
        </article>
      ))}
      <Pagination path={`/search?q=${encodeURIComponent(q)}`} page={props.page} pages={props.pages} />
    </>
  );
}
