import { tagSlug } from "../../content/tags";
import { formatDateTime } from "../format";

export function PostedOn({ date, author, readingTime, timeZone }: { date: string; author: string; readingTime: number; timeZone: string }) {
  return (
    <p class="meta">
      Posted on <time datetime={date}>{formatDateTime(date, timeZone)}</time> by <span class="author">{author}</span>
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
