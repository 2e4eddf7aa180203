import type { Child } from "hono/jsx";
import { useWords } from "../admin-words";

/** A page of the administration under the dashboard: the way back to it, the page's title, then the page. */
export function AdminSection({ title, children }: { title: Child; children?: Child }) {
  return (
    <section class="admin">
      <p>
        <a href="/admin">{useWords().frame.back}</a>
      </p>
      <h1 class="page-title">{title}</h1>
      {children}
    </section>
  );
}
