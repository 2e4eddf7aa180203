/**
 * The reader's words in the blog's language. Every catalog, English too, is JSON beside the worker
 * (public/i18n/, written by `npm run catalogs` from the files here) and is read once per isolate
 * (data/catalogs.ts) before anything renders, so this stays synchronous and the words weigh
 * nothing in the worker's bundle. English is always read: it stands in for a catalog that failed.
 */
import { getOrMake } from "../maps";
import { ranked } from "../net";
import type { Messages, PluralText } from "./en";
import type { AdminMessages } from "./admin/en";

export type { AdminMessages, Messages, PluralText };

const loaded = new Map<string, Messages>();

/** The catalog key of a language tag: `fr-CA` reads French. Null for a tag that cannot name one. */
export function catalogKey(language: string): string | null {
  const key = language.toLowerCase().split("-")[0]!;
  return /^[a-z]{2,3}$/.test(key) ? key : null;
}

export function hasMessages(language: string): boolean {
  const key = catalogKey(language);
  return key === null || loaded.has(key);
}

export function keepMessages(language: string, messages: Messages) {
  const key = catalogKey(language);
  if (key) loaded.set(key, messages);
}

/** English, once read (data/catalogs.ts reads it before anything renders; a request without it answers 503). */
export function english(): Messages {
  const en = loaded.get("en");
  if (!en) throw new Error("the English catalog has not been read");
  return en;
}

export const isEnglish = (t: Messages): boolean => t === loaded.get("en");

/** The catalog of a language tag, once read; English for a language without one (or not read yet). */
export function messagesFor(language: string): Messages {
  return loaded.get(catalogKey(language) ?? "en") ?? english();
}

const admin = new Map<string, AdminMessages>();

/** A language's administration words once read (data/catalogs.ts reads them before any page renders). */
export function adminMessagesFor(language: string): AdminMessages | undefined {
  return admin.get(language);
}

export function keepAdminMessages(language: string, words: AdminMessages) {
  admin.set(language, words);
}

/** A text with its `{name}` places filled. */
export function say(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const numbers = new Map<string, Intl.NumberFormat>();
const plurals = new Map<string, Intl.PluralRules>();

/** A number as the language writes it ("1,234", "1 234"). */
export function number(t: { locale: string }, n: number): string {
  return getOrMake(numbers, t.locale, () => new Intl.NumberFormat(t.locale)).format(n);
}

/** "12 KB", "1.5 MB", "1.2 GB" as the language writes numbers and units ("1,5 Mo" in French). */
export function sizeText(locale: string, bytes: number): string {
  const [unit, value] =
    bytes < 1024 * 1024
      ? (["kilobyte", Math.max(1, Math.round(bytes / 1024))] as const)
      : bytes < 1024 ** 3
        ? (["megabyte", bytes / 1024 ** 2] as const)
        : (["gigabyte", bytes / 1024 ** 3] as const);
  return new Intl.NumberFormat(locale, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
}

/** A counted text in the form the language uses for `n`: `counted(t, t.comments.count, 3)` is "3 comments". */
export function counted(t: { locale: string }, forms: PluralText, n: number, values: Record<string, string> = {}): string {
  const category = getOrMake(plurals, t.locale, () => new Intl.PluralRules(t.locale)).select(n) as keyof PluralText;
  return say(forms[category] ?? forms.other, { ...values, n: number(t, n) });
}

/**
 * An error's message for a reader: in English the specific one the code gave, in another language
 * the catalog's words for its code (the same code, a general message), the English one failing that.
 */
export function errorText(t: Messages, code: string, english: string): string {
  if (isEnglish(t)) return english;
  return (t.errors as Record<string, string | undefined>)[code] ?? english;
}

/**
 * The languages the platform speaks, for choosing one without reading a catalog first (the
 * administration's choice and `Accept-Language`). A test checks it names every catalog.
 */
export const LANGUAGES = ["en", "fr", "es", "de", "it", "pt"] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

/** The language of the mails a blog sends its members about it (comments waiting): the blog's, where the administration speaks it. */
export function adminLanguageOfBlog(language: string): Language {
  const key = catalogKey(language);
  return key && isLanguage(key) ? key : "en";
}

/** The first language of an `Accept-Language` header ("fr-CH, fr;q=0.9, en;q=0.8") the platform speaks. */
export function acceptedLanguage(header: string | undefined): Language | null {
  for (const tag of ranked(header)) {
    const key = catalogKey(tag);
    if (key && isLanguage(key)) return key;
  }
  return null;
}

/** A language's name in itself ("français"), for a list people pick their own language from. */
export function languageName(language: string): string {
  try {
    const name = new Intl.DisplayNames([language], { type: "language" }).of(language) ?? language;
    return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
  } catch {
    return language;
  }
}
