import { MAX_QUERY_LENGTH } from "../../core/vocabulary";
import type { BlogConfig } from "../../settings";
import type { Segment } from "../../core/search";
import type { SearchHit } from "../../data/search";
import { Pagination } from "../components/pagination";
import { PostedOn, TagList } from "../components/post-meta";
import { ErrorNote } from "../components/notes";
import { counted, type Messages, messagesFor, say } from "../../core/i18n";
import { english } from "../../core/i18n";

export function Snippet({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</>;
}

export function SearchForm({ q, t = english() }: { q: string; t?: Messages }) {
  return (
    <search>
      <form class="search-form" method="get" action="/search">
        <label for="search-q">{t.search.label}</label>
        <div class="subscribe-row">
          <input id="search-q" name="q" type="search" maxlength={MAX_QUERY_LENGTH} value={q} placeholder={t.search.placeholder} />
          <button type="submit">{t.search.button}</button>
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
  const t = messagesFor(blog.language);
  return (
    <>
      <h1 class="page-title">{q ? say(t.search.titleFor, { q }) : t.search.title}</h1>
      <SearchForm q={q} t={t} />
      <ErrorNote message={props.error} />
      {q && !props.error ? (
        <p class="intro" aria-live="polite">
          {total === 0 ? t.search.none : counted(t, t.search.matches, total)}
        </p>
      ) : null}
      {hits.map(({ post, snippet }) => (
        <article class="card">
          <h2>
            <a href={`/posts/${post.slug}`}>{post.title}</a>
          </h2>
          <PostedOn date={post.date} author={post.author ?? blog.author} readingTime={post.readingTime} timeZone={blog.timeZone} t={t} />
          <p class="summary snippet">
            <Snippet segments={snippet} />
          </p>
          <TagList tags={post.tags} t={t} />
        </article>
      ))}
      <Pagination path={`/search?q=${encodeURIComponent(q)}`} page={props.page} pages={props.pages} t={t} />
    </>
  );
}
