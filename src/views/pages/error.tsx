/**
 * `createUrl`: the host names no blog, so the page offers to create one there. `reference`: the
 * request's id, shown when the fault is ours, so a reader can quote it to whoever runs the blog.
 */
export function ErrorPage({
  status,
  message,
  createUrl = null,
  reference,
}: {
  status: number;
  message: string;
  createUrl?: string | null;
  reference?: string;
}) {
  const heading = status === 404 ? "Page not found" : status >= 500 ? "Something went wrong" : "That request did not work";
  if (createUrl) {
    return (
      <section class="error-page">
        <h1 class="page-title">No blog at this address</h1>
        <p>{message}</p>
        <p>
          <a class="button" href={createUrl}>
            + Create my blog
          </a>
        </p>
        <p class="status">Error {status}</p>
      </section>
    );
  }
  return (
    <section class="error-page">
      <h1 class="page-title">{heading}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the home page</a> or browse <a href="/archive">all posts</a>.
      </p>
      <p class="status">
        Error {status}
        {status >= 500 && reference ? ` · Reference ${reference}` : ""}
      </p>
    </section>
  );
}
