import { MAX_COMMENT_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "../components/notes";

/** A commenter's own comment, editable for 15 minutes in the browser (the edit token is in their cookie). */
export function CommentEditPage(props: { slug: string; id: number; postTitle: string; body: string; error?: string }) {
  const back = `/posts/${props.slug}#comment-${props.id}`;
  return (
    <section class="comment-edit">
      <p>
        <a href={back}>← Back to “{props.postTitle}”</a>
      </p>
      <h1 class="page-title">Edit your comment</h1>
      <p class="intro">You can change or delete your comment for 15 minutes after posting it. Readers see “(edited)” beside it.</p>
      <form class="comment-form" method="post" action={`/posts/${props.slug}/comments/${props.id}/edit`}>
        <ErrorNote message={props.error} />
        <p>
          <label for="comment-body">Your comment</label>
          <textarea id="comment-body" name="body" required maxlength={MAX_COMMENT_LENGTH} rows={6}>
            {props.body}
          </textarea>
        </p>
        <p class="editor-actions">
          <button type="submit" name="action" value="save">
            Save changes
          </button>{" "}
          <button type="submit" name="action" value="delete" class="danger" formnovalidate>
            Delete my comment
          </button>{" "}
          <a href={back}>Cancel</a>
        </p>
      </form>
    </section>
  );
}

/** The edit window has closed, or this browser did not write the comment. */
export function CommentEditClosed({ slug }: { slug: string }) {
  return (
    <section class="message-page">
      <h1 class="page-title">This comment can no longer be edited here</h1>
      <p>
        A comment can be edited from the browser that posted it, for 15 minutes. <a href={`/posts/${slug}#comments`}>Back to the post</a>.
      </p>
    </section>
  );
}
