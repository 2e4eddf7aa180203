import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "../components/notes";
import { useWords } from "../admin-words";
import { sayParts } from "../../core/i18n/parts";

/** Sign-in for a blog's members: their address, to which a one-time link is mailed. */
export function SignInByMailPage({ error }: { error?: string }) {
  const w = useWords().signin;
  return (
    <section class="admin">
      <h1 class="page-title">{w.title}</h1>
      <form method="post" action="/signin" class="comment-form">
        <ErrorNote message={error} />
        <p>
          <label for="signin-email">{w.email}</label>
          <input id="signin-email" name="email" type="email" required autocomplete="email" maxlength={MAX_EMAIL_LENGTH} />
        </p>
        <p>
          <button type="submit">{w.submit}</button>
        </p>
      </form>
      <p>{sayParts(w.operator, { link: <a href="/admin?operator">{w.operatorLink}</a> })}</p>
    </section>
  );
}
