import { counted } from "../src/core/i18n";

type Catalog = { locale: string };

/** Every text of a catalog by its path ("comments.title"), places kept, a counted one in its form for 2. */
export function catalogTexts(t: Catalog): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: Record<string, unknown>, path: string) => {
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof value === "string") out.set(at, value);
      else if (value && typeof value === "object" && "other" in value) out.set(at, counted(t, value as never, 2));
      else if (value && typeof value === "object") walk(value as Record<string, unknown>, at);
    }
  };
  walk(t as unknown as Record<string, unknown>, "");
  out.delete("locale");
  return out;
}

/** The English sentences a page in `t`'s language must not contain: those it words otherwise, cut at their places. */
export function englishSentences<T extends Catalog>(t: T, english: T): [string, string][] {
  const mine = catalogTexts(t);
  const own = [...mine.values()].join("\n");
  return (
    [...catalogTexts(english)]
      .filter(([path, text]) => text !== mine.get(path))
      .flatMap(([path, text]) => text.split(/\{\w+\}/).map((piece) => [path, piece.trim()] as [string, string]))
      .filter(([, piece]) => piece.length >= 6)
      // A word the language's own catalog uses is that language's too (Italian writes "l'editor").
      .filter(([, piece]) => !asWords(piece).test(own))
  );
}

/** The sentence as whole words ("Archive" is not in "Archives", nor "cancel" in "cancelar"). */
export const asWords = (sentence: string) => new RegExp(`(?<![\\p{L}])${sentence.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}])`, "u");

/** A page's text, as a reader reads it (markup gone, entities decoded). */
export const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
