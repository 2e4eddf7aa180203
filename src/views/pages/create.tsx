import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "../components/notes";
import { useWords } from "../admin-words";
import { sayParts } from "../../core/i18n/parts";

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
  const w = useWords().create;
  return (
    <section class="admin">
      <h1 class="page-title">{w.title}</h1>
      {props.closed ? (
        <p class="notice">{w.closed}</p>
      ) : (
        <form method="post" action="/create" class="comment-form">
          <ErrorNote message={props.error} />
          <p>
            <label for="create-email">{w.email}</label>
            <input id="create-email" name="email" type="email" value={v.email} required autocomplete="email" maxlength={MAX_EMAIL_LENGTH} />
          </p>
          <p>
            <label for="create-name">{w.name}</label>
            <input
              id="create-name"
              name="name"
              value={v.name}
              required
              minlength={3}
              maxlength={30}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              title={w.nameTitle}
              aria-describedby="create-name-hint"
              autocapitalize="none"
              spellcheck={false}
            />
          </p>
          <p class="hint" id="create-name-hint">
            {sayParts(w.nameHint, { example: <code>city-notes</code>, address: <strong>{props.address("city-notes")}</strong> })}
          </p>
          <p>
            <label for="create-title">{w.blogTitle}</label>
            <input id="create-title" name="title" value={v.title} required maxlength={200} />
          </p>
          <p>
            <button type="submit">{w.submit}</button>
          </p>
        </form>
      )}
    </section>
  );
}
