/**
 * The reader's catalogs, English included: JSON static assets (public/i18n/<language>.json,
 * written by `npm run catalogs`) read once per isolate through the ASSETS binding, so six
 * languages cost the worker's bundle nothing and a request only what its blog speaks.
 */
import {
  adminMessagesFor,
  catalogKey,
  english,
  hasMessages,
  keepAdminMessages,
  keepMessages,
  type Language,
  type Messages,
} from "../core/i18n";
import type { AdminMessages } from "../core/i18n/admin/en";
import { AppError } from "../errors";
import { log } from "../core/log";

const reading = new Map<string, Promise<void>>();

function readCatalog(env: Pick<Env, "ASSETS">, key: string): Promise<void> {
  let pending = reading.get(key);
  if (!pending) {
    pending = env.ASSETS.fetch(`https://assets.invalid/i18n/${key}.json`)
      .then(async (res) => {
        // A language the platform does not speak reads English from then on.
        if (res.status === 404 && key !== "en") return keepMessages(key, english());
        if (!res.ok) throw new Error(`i18n/${key}.json: ${res.status}`);
        keepMessages(key, (await res.json()) as Messages);
      })
      .catch((error) => log("warn", "catalog not read", { language: key, error }))
      .finally(() => reading.delete(key));
    reading.set(key, pending);
  }
  return pending;
}

/**
 * Reads English and a language's catalog if this isolate has not yet (undefined when it has: no
 * await on the hot path). A failed read is tried again by the next request; this one renders in
 * English, or, without English either, answers 503 (`requireWords`).
 */
export function readMessages(env: Pick<Env, "ASSETS">, language: string): Promise<void> | undefined {
  const key = catalogKey(language);
  const en = hasMessages("en") ? undefined : readCatalog(env, "en");
  if (!key || hasMessages(key)) return en;
  return (en ?? Promise.resolve()).then(() => (hasMessages("en") ? readCatalog(env, key) : undefined));
}

/** After readMessages: 503 when not even English could be read (the assets are unreachable). */
export function requireWords(): void {
  if (!hasMessages("en")) throw new AppError("unavailable", "This blog is unavailable right now. Please try again in a minute.", 30);
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

const templates = new Map<string, string>();

/** A layout of public/templates/ (the whole-post mail's), read once per isolate; a failed read throws (the job is retried). */
export async function readTemplate(env: Pick<Env, "ASSETS">, name: string): Promise<string> {
  const kept = templates.get(name);
  if (kept) return kept;
  const res = await env.ASSETS.fetch(`https://assets.invalid/templates/${name}`);
  if (!res.ok) throw new AppError("unavailable", `The template ${name} could not be read (${res.status}). Please try again in a minute.`);
  const text = await res.text();
  templates.set(name, text);
  return text;
}
