import { tagSlug } from "../../content/tags";
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
  return (
    <p class="meta">
      Posted on <time datetime={date}>{formatDateTime(date, timeZone)}</time> by <span class="author">{author}</span>
      {updated && updated > date ? (
        <span class="updated">
          {" · "}Updated on <time datetime={updated}>{formatDateTime(updated, timeZone)}</time>
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
