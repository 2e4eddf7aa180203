import type { Messages } from "../../core/i18n";
import { english } from "../../core/i18n";
import { sayParts } from "../../core/i18n/parts";

/**
 * `createUrl`: the host names no blog, so the page offers to create one there. `reference`: the
 * request's id, shown when the fault is ours, so a reader can quote it to whoever runs the blog.
 */
export function ErrorPage({
  status,
  message,
  createUrl = null,
  reference,
  t = english(),
}: {
  status: number;
  message: string;
  createUrl?: string | null;
  reference?: string;
  t?: Messages;
}) {
  const words = t.errorPage;
  const heading = status === 404 ? words.notFound : status >= 500 ? words.wentWrong : words.didNotWork;
  const code = sayParts(words.status, { status: String(status) });
  if (createUrl) {
    return (
      <section class="error-page">
        <h1 class="page-title">{words.noBlog}</h1>
        <p>{message}</p>
        <p>
          <a class="button" href={createUrl}>
            {t.footer.createBlog}
          </a>
        </p>
        <p class="status">{code}</p>
      </section>
    );
  }
  return (
    <section class="error-page">
      <h1 class="page-title">{heading}</h1>
      <p>{message}</p>
      <p>{sayParts(words.whereNext, { home: <a href="/">{words.homeLink}</a>, archive: <a href="/archive">{words.archiveLink}</a> })}</p>
      <p class="status">
        {code}
        {status >= 500 && reference ? <> · {sayParts(words.reference, { id: reference })}</> : ""}
      </p>
    </section>
  );
}
