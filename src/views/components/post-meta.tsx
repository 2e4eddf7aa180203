import { counted, type Messages } from "../../core/i18n";
import { english } from "../../core/i18n";
import { tagSlug } from "../../core/tags";
import { formatDateTime } from "../format";

/** The byline: "Posted on <date> by <author>", "Updated on <date>" when the post says so, and the reading time. */
export function PostedOn({
  date,
  updated,
  author,
  readingTime,
  timeZone,
  t = english(),
}: {
  date: string;
  updated?: string | null;
  author: string;
  readingTime: number;
  timeZone: string;
  t?: Messages;
}) {
  const posted = formatDateTime(date, timeZone, t.locale);
  const changed = updated && updated > date ? formatDateTime(updated, timeZone, t.locale) : null;
  return (
    <p class="meta">
      {t.post.postedOn} <time datetime={date}>{posted}</time> {t.post.by} <span class="author">{author}</span>
      {/* An update within the minute it was posted reads as the same time: it is not shown. */}
      {changed && changed !== posted ? (
        <span class="updated">
          {" · "}
          {t.post.updatedOn} <time datetime={updated!}>{changed}</time>
        </span>
      ) : null}
      <span class="reading-time"> · {counted(t, t.post.minutesRead, readingTime)}</span>
    </p>
  );
}

export function TagList({ tags, t = english() }: { tags: string[]; t?: Messages }) {
  if (!tags.length) return null;
  return (
    <ul class="tags" aria-label={t.post.tags}>
      {tags.map((name) => (
        <li>
          <a href={`/tags/${encodeURIComponent(tagSlug(name))}`} rel="tag">
            {name}
          </a>
        </li>
      ))}
    </ul>
  );
}
