import type { AdminMessages } from "../../core/i18n";

export type ModerationWords = AdminMessages["moderation"];

/** Where a moderation form sends the moderator back to: the dashboard, or the post page it was on. */
export type ModerationBack = "admin" | "post";

/**
 * Approve (for a held or hidden comment), Hide and Delete on one comment, for signed-in
 * moderators, editors and owners; the same markup on the dashboard, the post page, and in the
 * templates the live scripts copy.
 */
export function ModerationForm(props: {
  slug: string;
  id: number;
  csrf: string;
  held: boolean;
  back: ModerationBack;
  /** In the moderator's language (on a post page too, where the rest speaks the blog's). */
  words: ModerationWords;
}) {
  return (
    <form method="post" action={`/admin/comments/${props.slug}/${props.id}`} class="moderation-form">
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" name="action" value="approve" class="small" hidden={!props.held}>
        {props.words.approve}
      </button>{" "}
      <button type="submit" name="action" value="hide" class="small secondary">
        {props.words.hide}
      </button>{" "}
      <button type="submit" name="action" value="delete" class="small danger">
        {props.words.delete}
      </button>
    </form>
  );
}
