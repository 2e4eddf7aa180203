import type { Child } from "hono/jsx";

/** A form's or page's error, announced at once (nothing when there is none). */
export function ErrorNote({ message }: { message?: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

/** A status line (saved, sent, created …), announced politely (nothing when there is none). */
export function Notice({ message, children }: { message?: string | null; children?: Child }) {
  const content = children ?? message;
  return content ? (
    <p class="notice" role="status">
      {content}
    </p>
  ) : null;
}
