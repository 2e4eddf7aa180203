/**
 * A blog's menu, as its owner arranges it in the settings: links to pages (or posts), tags, the
 * archive, the search, the follow page or any https address, in order, each with a label. No menu (null) is
 * the default one: Home, Archive, Search, Follow this blog, Administration.
 */
import { POST_SLUG, TAG_SLUG } from "./vocabulary";

export interface MenuItem {
  label: string;
  href: string;
}

export const MAX_MENU_ITEMS = 12;
export const MAX_MENU_LABEL = 60;
const MAX_URL = 500;

/** What is wrong with a menu link's address, or null: the blog's own pages by path, or https elsewhere. */
export function menuHrefProblem(href: string): string | null {
  if (href === "/" || href === "/archive" || href === "/search" || href === "/follow") return null;
  const page = /^\/(pages|posts)\/(.+)$/.exec(href);
  if (page) return POST_SLUG.test(page[2]!) ? null : `"${href}" is not a page's or a post's address (/pages/<slug>, /posts/<slug>)`;
  const tag = /^\/tags\/(.+)$/.exec(href);
  if (tag) return TAG_SLUG.test(tag[1]!) ? null : `"${href}" is not a tag's address (/tags/<tag>)`;
  if (href.startsWith("/")) return `"${href}" is not one of the blog's addresses a menu can link to`;
  if (href.length > MAX_URL) return `an address may be at most ${MAX_URL} characters`;
  try {
    const url = new URL(href);
    if (url.protocol !== "https:" || url.username || url.password) return `"${href}" must be an https:// address`;
  } catch {
    return `"${href}" is not an address (a path such as /pages/about, or https://…)`;
  }
  return null;
}

/** The settings form's text: one link per line, "Label | address". */
export function menuText(menu: MenuItem[] | null): string {
  return (menu ?? []).map((m) => `${m.label} | ${m.href}`).join("\n");
}

/** The form's text read back: the items, or the first problem named by its line. Empty text: the default menu (null). */
export function parseMenuText(text: string): { menu: MenuItem[] | null } | { error: string } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) return { menu: null };
  if (lines.length > MAX_MENU_ITEMS) return { error: `a menu holds at most ${MAX_MENU_ITEMS} links` };
  const menu: MenuItem[] = [];
  for (const [i, line] of lines.entries()) {
    const bar = line.lastIndexOf("|");
    if (bar < 0) return { error: `line ${i + 1}: write "Label | address", e.g. "About | /pages/about"` };
    const item = { label: line.slice(0, bar).trim(), href: line.slice(bar + 1).trim() };
    const problem = menuItemProblem(item);
    if (problem) return { error: `line ${i + 1}: ${problem}` };
    menu.push(item);
  }
  return { menu };
}

export function menuItemProblem(item: MenuItem): string | null {
  if (!item.label) return "a link needs a label";
  if (item.label.length > MAX_MENU_LABEL) return `a label may be at most ${MAX_MENU_LABEL} characters`;
  if (/[\u0000-\u001f\u007f]/.test(item.label)) return "a label may not hold control characters";
  return menuHrefProblem(item.href);
}
