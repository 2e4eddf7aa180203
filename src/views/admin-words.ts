import type { AdminMessages } from "../core/i18n";

/**
 * The administration's words while a page of it renders: set by the renderer (views/layout.tsx)
 * around the page's synchronous render, read by its views. Not hono/jsx's context: that one brings
 * the DOM renderer into the worker (6 KB of its bundle), and these views never await.
 */
let current: AdminMessages | null = null;

/** Renders with `words` as the views' words; a render that does not finish synchronously loses them (useWords throws). */
export function renderWithWords<T>(words: AdminMessages, render: () => T): T {
  const before = current;
  current = words;
  try {
    return render();
  } finally {
    current = before;
  }
}

/** The words of the page being rendered; a page of the administration rendered without them is a bug. */
export function useWords(): AdminMessages {
  if (!current) throw new Error("an administration view rendered without its words (see http/admin-language.ts)");
  return current;
}
