import type { Child } from "hono/jsx";

/** A short page that answers a form or a link: subscribed, confirmed, unsubscribed… */
export function MessagePage({ heading, children }: { heading: string; children?: Child }) {
  return (
    <section class="message-page">
      <h1 class="page-title">{heading}</h1>
      {children}
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
