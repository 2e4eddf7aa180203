import type { AuditAction } from "../core/audit";
import { type AdminMessages, say } from "../core/i18n";

/** A comment's target is `<slug>#<id>`: the post is what a person recognises. */
const postOf = (target: string) => target.replace(/#\d+$/, "");

/**
 * An audit log entry as a sentence for the dashboard ("Saved the post “Heat pumps”"), instead of
 * its code (`post.saved heat-pumps`); the codes stay in the log's JSON for scripts. `titles` names
 * the posts a person knows by their title (the dashboard's list); others keep their address.
 */
export function activityText(
  words: AdminMessages,
  action: string,
  target: string,
  titles: ReadonlyMap<string, string> = new Map(),
): string {
  const sentence = (words.activity as Record<string, string | undefined>)[action as AuditAction];
  if (!sentence) return `${action} ${target}`;
  const slug = action.startsWith("comment.") ? postOf(target) : target;
  return say(sentence, { title: titles.get(slug) ?? slug, target });
}
