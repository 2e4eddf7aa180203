import type { BlogConfig } from "../../settings";
import type { PostSummaryRecord } from "../../core/types";
import { Pagination } from "../components/pagination";
import { counted, messagesFor } from "../../core/i18n";
import { formatDate, formatMonth } from "../format";

export function ArchivePage({
  blog,
  posts,
  total,
  page,
  pages,
}: {
  blog: BlogConfig;
  posts: PostSummaryRecord[];
  total: number;
  page: number;
  pages: number;
}) {
  const t = messagesFor(blog.language);
  const months: { key: string; label: string; posts: PostSummaryRecord[] }[] = [];
  for (const post of posts) {
    const { key, label } = formatMonth(post.date, blog.timeZone, t.locale);
    const last = months[months.length - 1];
    if (last && last.key === key) last.posts.push(post);
    else months.push({ key, label, posts: [post] });
  }
  return (
    <>
      <h1 class="page-title">{t.archive.title}</h1>
      <p class="intro">{counted(t, t.archive.intro, total)}</p>
      {months.length ? null : <p class="empty">{t.archive.empty}</p>}
      {months.map((m) => (
        <section class="month" aria-labelledby={`m-${m.key}`}>
          <h2 id={`m-${m.key}`}>{m.label}</h2>
          <ul class="archive-list">
            {m.posts.map((p) => (
              <li>
                <time datetime={p.date}>{formatDate(p.date, blog.timeZone, t.locale)}</time> <a href={`/posts/${p.slug}`}>{p.title}</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <Pagination path="/archive" page={page} pages={pages} t={t} />
    </>
  );
}
