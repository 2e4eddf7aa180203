import type { AuditAction } from "../core/audit";

/**
 * An audit log entry as a sentence for the dashboard ("Saved the post “Heat pumps”"), instead of
 * its code (`post.saved heat-pumps`); the codes stay in the log's JSON for scripts.
 */
type Sentence = (target: string, title: (slug: string) => string) => string;

const SENTENCES: Record<AuditAction, Sentence> = {
  "post.saved": (t, title) => `Saved the post “${title(t)}”`,
  "post.deleted": (t, title) => `Moved the post “${title(t)}” to the trash`,
  "post.renamed": (t) => `Changed a post's address: ${t}`,
  "post.restored": (t, title) => `Restored the post “${title(t)}” from the trash`,
  "post.purged": (t) => `Deleted the post “${t}” for good`,
  "media.uploaded": () => "Added an image",
  "media.deleted": () => "Deleted an image",
  "follower.removed": (t) => `Removed a follower (${t})`,
  "comment.approved": (t, title) => `Approved a comment on “${title(postOf(t))}”`,
  "comment.hidden": (t, title) => `Hid a comment on “${title(postOf(t))}”`,
  "comment.edited": (t, title) => `Edited a comment on “${title(postOf(t))}”`,
  "comment.deleted": (t, title) => `Deleted a comment on “${title(postOf(t))}”`,
  "member.invited": (t) => `Invited ${t}`,
  "member.joined": (t) => `Joined the blog ${t}`,
  "member.set": (t) => `Made ${t}`,
  "member.removed": (t) => `Removed ${t} from the blog`,
  "token.created": (t) => `Created the API token ${t}`,
  "token.revoked": () => "Revoked an API token",
  "settings.changed": (t) => `Changed the settings (${t})`,
};

/** A comment's target is `<slug>#<id>`: the post is what a person recognises. */
const postOf = (target: string) => target.replace(/#\d+$/, "");

/** `titles` names the posts a person knows by their title (the dashboard's list); others keep their address. */
export function activityText(action: string, target: string, titles: ReadonlyMap<string, string> = new Map()): string {
  const sentence = SENTENCES[action as AuditAction];
  return sentence ? sentence(target, (slug) => titles.get(slug) ?? slug) : `${action} ${target}`;
}
