import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { BoundedMap, getOrMake } from "../core/maps";

/** What a component returns (hono's JSX.Element): markup, or a promise of it from an async component. */
type Rendered = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The finished markup of a node, or null when it is async (not kept: nothing here renders one). */
function finished(node: Rendered): HtmlEscapedString | null {
  if (node instanceof Promise) return null;
  const html = node.toString() as string | Promise<string>;
  return typeof html === "string" ? raw(html) : null;
}

/**
 * Markup this isolate already built, kept per content object and variant, so a page read again
 * concatenates strings instead of rebuilding the same JSX (the profile's largest cost of an
 * uncached page). The owner is an object whose identity stands for its content: a parsed KV
 * value (kept by its text, see data/parsed.ts) or a blog's settings (kept per blog record). It is
 * held weakly, so its markup goes when it does. What is kept is JSX output, escaped when it was
 * built: wrapping it in raw() again lets no untrusted text through.
 */
const built = new WeakMap<object, BoundedMap<string, HtmlEscapedString>>();
/** Variants per owner (an edit link or not, a comment count …): a few in practice; the oldest goes first. */
const MAX_VARIANTS = 8;

/** Markup of `render()` for this owner and variant, built once. An async component is not kept (nothing here renders one). */
export function memo(owner: object, variant: string, render: () => Rendered): Child {
  const known = built.get(owner)?.get(variant);
  if (known) return known;
  const node = render();
  const kept = finished(node);
  if (!kept) return node;
  getOrMake(built, owner, () => new BoundedMap<string, HtmlEscapedString>(MAX_VARIANTS)).set(variant, kept);
  return kept;
}

/**
 * Markup kept by a key that is itself its content (a digest of what it shows), for markup whose
 * content arrives as fresh objects each time (a comment thread's answer). Least recently used
 * goes first.
 */
export class MarkupByKey {
  private readonly kept: BoundedMap<string, HtmlEscapedString>;
  constructor(max: number) {
    this.kept = new BoundedMap(max);
  }

  /** The markup kept for `key`, if any (not counted as a use: what is only looked at still goes first). */
  peek(key: string): HtmlEscapedString | undefined {
    return this.kept.peek(key);
  }

  get(key: string, render: () => Rendered): Child {
    const known = this.kept.get(key);
    if (known) return known;
    const node = render();
    const kept = finished(node);
    if (!kept) return node;
    this.kept.set(key, kept);
    return kept;
  }
}
