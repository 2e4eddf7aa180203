/**
 * The reader's words in the blog's language: one catalog per language, each a `Messages` (a key
 * missing in one fails the type check). To add a language, add its file here and to CATALOGS.
 */
import { de } from "./de";
import { en, type Messages, type Plural } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { getOrMake } from "../maps";
import { pt } from "./pt";

export type { Messages, Plural };

export const CATALOGS: Record<string, Messages> = { en, fr, es, de, it, pt };

/** The catalog of a language tag (`fr-CA` reads French); English for a language without one. */
export function messagesFor(language: string): Messages {
  return CATALOGS[language.toLowerCase().split("-")[0]!] ?? en;
}

const numbers = new Map<string, Intl.NumberFormat>();
const plurals = new Map<string, Intl.PluralRules>();

/** A count as the language writes it, and its plural category: `t.comments.count(...count(t, 3))`. */
export function count(t: Messages, n: number): [string, Plural] {
  const nf = getOrMake(numbers, t.locale, () => new Intl.NumberFormat(t.locale));
  const pr = getOrMake(plurals, t.locale, () => new Intl.PluralRules(t.locale));
  return [nf.format(n), pr.select(n) as Plural];
}
