import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "../components/notes";

/** Sign-in for a blog's members: their address, to which a one-time link is mailed. */
export function SignInByMailPage({ error }: { error?: string }) {
  return (
    <section class="admin">
      <h1 class="page-title">Sign in</h1>
      <form method="post" action="/signin" class="comment-form">
        <ErrorNote message={error} />
        <p>
          <label for="signin-email">Your email address</label>
          <input id="signin-email" name="email" type="email" required autocomplete="email" maxlength={MAX_EMAIL_LENGTH} />
        </p>
        <p>
          <button type="submit">Email me a sign-in link</button>
        </p>
      </form>
      <p>
        Running this platform? <a href="/admin?operator">Sign in with the admin token</a>.
      </p>
    </section>
  );
}
