/**
 * The catalogs of languages other than English: JSON static assets (public/i18n/<language>.json,
 * written by `npm run catalogs`) read once per isolate through the ASSETS binding, so six
 * languages cost the worker's bundle nothing and a request only what its blog speaks.
 */
import { adminMessagesFor, catalogKey, hasMessages, keepAdminMessages, keepMessages, type Language, type Messages } from "../core/i18n";
import type { AdminMessages } from "../core/i18n/admin/en";
import { AppError } from "../errors";
import { en } from "../core/i18n/en";
import { log } from "../core/log";

const reading = new Map<string, Promise<void>>();

/**
 * Reads a language's catalog if this isolate has not yet (undefined when it has: no await on the
 * hot path). A language without a catalog reads English from then on; a failed read is tried
 * again by the next request, and this one renders in English.
 */
export function readMessages(env: Pick<Env, "ASSETS">, language: string): Promise<void> | undefined {
  if (hasMessages(language)) return undefined;
  const key = catalogKey(language)!;
  let pending = reading.get(key);
  if (!pending) {
    pending = env.ASSETS.fetch(`https://assets.invalid/i18n/${key}.json`)
      .then(async (res) => {
        if (res.status === 404) return keepMessages(key, en);
        if (!res.ok) throw new Error(`i18n/${key}.json: ${res.status}`);
        keepMessages(key, (await res.json()) as Messages);
      })
      .catch((error) => log("warn", "catalog not read", { language: key, error }))
      .finally(() => reading.delete(key));
    reading.set(key, pending);
  }
  return pending;
}

const readingAdmin = new Map<string, Promise<AdminMessages>>();

/**
 * The administration's words in a language the platform speaks (LANGUAGES), read once per isolate:
 * all of them are assets, English included, so none weighs on the readers' worker. A failed read
 * is tried again by the next request; this one answers 503.
 */
export function readAdminMessages(env: Pick<Env, "ASSETS">, language: Language): AdminMessages | Promise<AdminMessages> {
  const known = adminMessagesFor(language);
  if (known) return known;
  let pending = readingAdmin.get(language);
  if (!pending) {
    pending = env.ASSETS.fetch(`https://assets.invalid/i18n/admin/${language}.json`)
      .then(async (res) => {
        if (!res.ok) throw new Error(`i18n/admin/${language}.json: ${res.status}`);
        const words = (await res.json()) as AdminMessages;
        keepAdminMessages(language, words);
        return words;
      })
      .catch((error) => {
        log("error", "admin catalog not read", { language, error });
        throw new AppError("unavailable", "The administration is unavailable right now. Please try again in a minute.");
      })
      .finally(() => readingAdmin.delete(language));
    readingAdmin.set(language, pending);
  }
  return pending;
}
