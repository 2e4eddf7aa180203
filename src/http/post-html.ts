import type { Context } from "hono";
import { filterPostMarkdown } from "../core/html-filter";
import type { PostSource } from "../core/types";
import { AppError } from "../errors";
import type { AppEnv } from "../settings";
import { may, principal } from "./auth";

/**
 * A post as its author may save it: owners and the operator post unfiltered HTML (as WordPress's
 * `unfiltered_html`); everyone else's HTML is filtered (html-filter.ts), and `dropped` says what
 * went. HTML that cannot be filtered in place is refused with a clear error, never stored as it is.
 */
export async function asAuthorMaySave<E extends AppEnv>(c: Context<E>, post: PostSource): Promise<{ post: PostSource; dropped: string[] }> {
  if (may(await principal(c), "owner")) return { post, dropped: [] };
  const filtered = filterPostMarkdown(post.markdown);
  if (!filtered.ok) {
    throw new AppError(
      "invalid_post",
      `markdown: this HTML cannot be filtered where it stands (in a quote or list); only owners may post ${filtered.dropped.join(", ")}. Remove it, or ask an owner.`,
    );
  }
  return { post: { ...post, markdown: filtered.markdown }, dropped: filtered.dropped };
}

/** The editor's note of what the filter dropped. */
export const droppedNote = (dropped: string[]) =>
  `Only owners may post some HTML, so this was removed from the post: ${dropped.join(", ")}.`;
