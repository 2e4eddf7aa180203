import type { Messages } from "../../core/i18n";
import { say } from "../../core/i18n";
import { english } from "../../core/i18n";
import { MAX_COMMENT_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "../components/notes";

/** A commenter's own comment, editable for 15 minutes in the browser (the edit token is in their cookie). */
export function CommentEditPage(props: { slug: string; id: number; postTitle: string; body: string; error?: string; t?: Messages }) {
  const t = props.t ?? english();
  const back = `/posts/${props.slug}#comment-${props.id}`;
  return (
    <section class="comment-edit">
      <p>
        <a href={back}>{say(t.back.toPost, { title: props.postTitle })}</a>
      </p>
      <h1 class="page-title">{t.commentEdit.title}</h1>
      <p class="intro">{t.commentEdit.intro}</p>
      <form class="comment-form" method="post" action={`/posts/${props.slug}/comments/${props.id}/edit`}>
        <ErrorNote message={props.error} />
        <p>
          <label for="comment-body">{t.comments.body}</label>
          <textarea id="comment-body" name="body" required maxlength={MAX_COMMENT_LENGTH} rows={6}>
            {props.body}
          </textarea>
        </p>
        <p class="editor-actions">
          <button type="submit" name="action" value="save">
            {t.commentEdit.save}
          </button>{" "}
          <button type="submit" name="action" value="delete" class="danger" formnovalidate>
            {t.commentEdit.delete}
          </button>{" "}
          <a href={back}>{t.commentEdit.cancel}</a>
        </p>
      </form>
    </section>
  );
}

/** The edit window has closed, or this browser did not write the comment. */
export function CommentEditClosed({ slug, t = english() }: { slug: string; t?: Messages }) {
  return (
    <section class="message-page">
      <h1 class="page-title">{t.commentEdit.closedTitle}</h1>
      <p>
        {t.commentEdit.closedText} <a href={`/posts/${slug}#comments`}>{t.commentEdit.backToPost}</a>.
      </p>
    </section>
  );
}
