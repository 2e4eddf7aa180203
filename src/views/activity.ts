import type { AuditAction } from "../core/audit";

/**
 * An audit log entry as a sentence for the dashboard ("Saved the post heat-pumps"), instead of
 * its code (`post.saved heat-pumps`); the codes stay in the log's JSON for scripts.
 */
const SENTENCES: Record<AuditAction, (target: string) => string> = {
  "post.saved": (t) => `Saved the post “${t}”`,
  "post.deleted": (t) => `Moved the post “${t}” to the trash`,
  "post.renamed": (t) => `Changed a post's address: ${t}`,
  "post.restored": (t) => `Restored the post “${t}” from the trash`,
  "post.purged": (t) => `Deleted the post “${t}” for good`,
  "media.uploaded": () => "Added an image",
  "media.deleted": () => "Deleted an image",
  "follower.removed": (t) => `Removed a follower (${t})`,
  "comment.approved": (t) => `Approved a comment on “${postOf(t)}”`,
  "comment.hidden": (t) => `Hid a comment on “${postOf(t)}”`,
  "comment.edited": (t) => `Edited a comment on “${postOf(t)}”`,
  "comment.deleted": (t) => `Deleted a comment on “${postOf(t)}”`,
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

export function activityText(action: string, target: string): string {
  const sentence = SENTENCES[action as AuditAction];
  return sentence ? sentence(target) : `${action} ${target}`;
}
