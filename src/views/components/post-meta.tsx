import { tagSlug } from "../../core/tags";
import { formatDateTime } from "../format";

/** The byline: "Posted on <date> by <author>", "Updated on <date>" when the post says so, and the reading time. */
export function PostedOn({
  date,
  updated,
  author,
  readingTime,
  timeZone,
}: {
  date: string;
  updated?: string | null;
  author: string;
  readingTime: number;
  timeZone: string;
}) {
  const posted = formatDateTime(date, timeZone);
  const changed = updated && updated > date ? formatDateTime(updated, timeZone) : null;
  return (
    <p class="meta">
      Posted on <time datetime={date}>{posted}</time> by <span class="author">{author}</span>
      {/* An update within the minute it was posted reads as the same time: it is not shown. */}
      {changed && changed !== posted ? (
        <span class="updated">
          {" · "}Updated on <time datetime={updated!}>{changed}</time>
        </span>
      ) : null}
      <span class="reading-time"> · {readingTime} min read</span>
    </p>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <ul class="tags" aria-label="Tags">
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
