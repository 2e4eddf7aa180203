import { say } from "../../core/i18n";
import { useWords } from "../admin-words";
import { AdminSection } from "../components/admin-section";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";

/** `/admin/delete`: what deleting the blog does, and the name to type to confirm it. */
export function CloseBlogPage(props: { csrf: string; blog: string; purgeAt: string; timeZone: string; error?: string; main: boolean }) {
  const words = useWords();
  const w = words.closeBlog;
  if (props.main) {
    return (
      <AdminSection title={w.title}>
        <p class="notice">{w.mainBlog}</p>
      </AdminSection>
    );
  }
  return (
    <AdminSection title={w.title}>
      <p>{say(w.text, { blog: props.blog, date: formatDateTime(props.purgeAt, props.timeZone, words.locale) })}</p>
      <p>
        <a href="/admin/export">{w.exportFirst}</a>
      </p>
      <ErrorNote message={props.error} />
      <form method="post" action="/admin/delete" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="close-confirm">{say(w.confirm, { blog: props.blog })}</label>
          <input id="close-confirm" name="confirm" required autocomplete="off" spellcheck={false} autocapitalize="none" />
        </p>
        <p>
          <button type="submit" class="danger">
            {w.button}
          </button>{" "}
          <a href="/admin/settings">{w.cancel}</a>
        </p>
      </form>
    </AdminSection>
  );
}

/** What a closed blog's administration shows its members: when it goes, and (to owners) the way back. */
export function ClosedBlogPage(props: { csrf: string; purgeAt: string; timeZone: string; owner: boolean; notice?: string }) {
  const words = useWords();
  const w = words.closeBlog;
  return (
    <section class="admin">
      <h1 class="page-title">{w.closedTitle}</h1>
      <Notice message={props.notice} />
      <p>{say(w.closedText, { date: formatDateTime(props.purgeAt, props.timeZone, words.locale) })}</p>
      {props.owner ? (
        <form method="post" action="/admin/restore">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit">{w.restore}</button>
        </form>
      ) : (
        <p class="hint">{w.askOwner}</p>
      )}
    </section>
  );
}
