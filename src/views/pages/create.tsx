import { MAX_EMAIL_LENGTH } from "../../content/vocabulary";
import { ErrorNote } from "../components/notes";

export interface CreateForm {
  email: string;
  name: string;
  title: string;
}

/** "+ Create my blog": an address, a name and a title; a link to finish is mailed. */
export function CreateBlogPage(props: { values: CreateForm; blogsDomain: string; error?: string; closed?: boolean }) {
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
            <label for="create-name">Blog name (its address: name.{props.blogsDomain})</label>
            <input
              id="create-name"
              name="name"
              value={v.name}
              required
              minlength={3}
              maxlength={30}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              autocapitalize="none"
              spellcheck={false}
            />
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
