import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { acceptedLanguage, errorText, isLanguage, type Language, messagesFor } from "../core/i18n";
import type { AdminMessages } from "../core/i18n/admin/en";
import { EDITOR_MODE_COOKIE, EDITOR_MODES, LANGUAGE_COOKIE } from "../core/vocabulary";
import { readAdminMessages, readMessages } from "../data/catalogs";
import type { AppEnv } from "../settings";
import { CACHE_POLICY } from "./freshness";

/**
 * The language a person administers in: the one they chose on /admin/me (kept in a cookie on
 * this browser, and with their person so a new sign-in brings it back), else the first their
 * browser asks for that the platform speaks, else English. Never the blog's: a French blog's
 * Portuguese editor works in Portuguese while its readers read French.
 */
export function adminLanguageOf<E extends AppEnv>(c: Context<E>): { language: Language; chosen: boolean } {
  const chosen = getCookie(c, LANGUAGE_COOKIE);
  if (chosen && isLanguage(chosen)) return { language: chosen, chosen: true };
  return { language: acceptedLanguage(c.req.header("Accept-Language")) ?? "en", chosen: false };
}

/** Keeps a person's choice on this browser (a year; the session cookie's rules: this host only, HTTPS, not to other sites). */
export function rememberLanguage<E extends AppEnv>(c: Context<E>, language: Language | null): void {
  remember(c, LANGUAGE_COOKIE, language, true);
}

/** The editor they write in, the same way; the page's script reads it, so it is not HttpOnly (it is no secret). */
export function rememberEditorMode<E extends AppEnv>(c: Context<E>, mode: string | null): void {
  if (mode === null || (EDITOR_MODES as readonly string[]).includes(mode)) remember(c, EDITOR_MODE_COOKIE, mode, false);
}

function remember<E extends AppEnv>(c: Context<E>, name: string, value: string | null, httpOnly: boolean): void {
  setCookie(c, name, value ?? "", { secure: true, httpOnly, sameSite: "Lax", path: "/", maxAge: value ? 365 * 86400 : 0 });
}

/** The administration's words for this request (read once per isolate and language). */
export async function adminWords(c: Context<AppEnv>): Promise<AdminMessages> {
  if (c.var.admin) return c.var.admin;
  const { language } = adminLanguageOf(c);
  const words = await readAdminMessages(c.env, language);
  // The reader's catalog in that language too: an error on these pages speaks it as well.
  await readMessages(c.env, language);
  c.set("admin", words);
  c.set("adminLanguage", language);
  return words;
}

/** On the administration's pages (and sign-in, invitations, "+ Create my blog"): their words before any renders. */
export const adminLanguage: MiddlewareHandler<AppEnv> = async (c, next) => {
  await adminWords(c);
  await next();
  // They speak the asker's language: no shared cache may hand them to someone else.
  c.res.headers.set("Cache-Control", CACHE_POLICY.never);
};

/** The words a page of the administration renders with (set by the middleware above). */
export function wordsFor<E extends AppEnv>(c: Context<E>): AdminMessages {
  const words = c.var.admin;
  if (!words) throw new Error(`no administration words on ${c.req.path}: mount adminLanguage there`);
  return words;
}

/**
 * A refused form's message in the person's language. English keeps the specific message; another
 * language says the general words for the error's code, then the specific problem as the checks
 * wrote it (it names the field, so the person can still find it).
 */
export function refusalText<E extends AppEnv>(c: Context<E>, code: string, message: string): string {
  const t = messagesFor(c.var.adminLanguage ?? "en");
  const general = errorText(t, code, message);
  return general === message ? message : `${general} (${message})`;
}
