import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "../components/notes";

export interface CreateForm {
  email: string;
  name: string;
  title: string;
}

/** "+ Create my blog": an address, a name and a title; a link to finish is mailed. */
export function CreateBlogPage(props: {
  values: CreateForm;
  /** Where a blog of that name would answer, with scheme and port: "http://NAME.localhost:8787". */
  address: (name: string) => string;
  error?: string;
  closed?: boolean;
}) {
  const v = props.values;
  return (
    <section class="admin">
      <h1 class="page-title">+ Create my blog</h1>
      {props.closed ? (
        <p class="notice">New blogs cannot be created here at the moment.</p>
      ) : (
        <form method="post" action="/create" class="comment-form">
          <ErrorNote message={props.error} />
          <p>
            <label for="create-email">Your email address</label>
            <input id="create-email" name="email" type="email" value={v.email} required autocomplete="email" maxlength={MAX_EMAIL_LENGTH} />
          </p>
          <p>
            <label for="create-name">Blog name</label>
            <input
              id="create-name"
              name="name"
              value={v.name}
              required
              minlength={3}
              maxlength={30}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              title="3 to 30 lowercase letters, digits and single hyphens, such as city-notes"
              aria-describedby="create-name-hint"
              autocapitalize="none"
              spellcheck={false}
            />
          </p>
          <p class="hint" id="create-name-hint">
            3 to 30 lowercase letters (a–z), digits and single hyphens, such as <code>city-notes</code>. Your blog's address will be{" "}
            <strong>{props.address("city-notes")}</strong> with your name in place of city-notes.
          </p>
          <p>
            <label for="create-title">Title</label>
            <input id="create-title" name="title" value={v.title} required maxlength={200} />
          </p>
          <p>
            <button type="submit">Email me a link to create it</button>
          </p>
        </form>
      )}
    </section>
  );
}
