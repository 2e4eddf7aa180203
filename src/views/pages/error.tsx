export function ErrorPage({ status, message }: { status: number; message: string }) {
  const heading = status === 404 ? "Page not found" : status >= 500 ? "Something went wrong" : "That request did not work";
  return (
    <section class="error-page">
      <h1 class="page-title">{heading}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the home page</a> or browse <a href="/archive">all posts</a>.
      </p>
      <p class="status">Error {status}</p>
    </section>
  );
}
