import type { BlogSettings } from "../core/blogs";
import { type BlogStore, blogStore } from "../core/keys";
import { blogObject, holdRecord } from "./blogs";
import { blogCssVersion, DEFAULT_THEME, type ThemeName } from "../core/theme";

/** The blog's custom CSS ("" when it has none). */
export async function readCustomCss({ kv, keys }: BlogStore): Promise<string> {
  return (await kv.get(keys.customCss, { cacheTtl: 60 })) ?? "";
}

/**
 * Stores the custom CSS when it changes and answers the per-blog stylesheet's new version (null:
 * the blog needs none), from the accent and CSS it will have once the settings are saved.
 */
export async function saveLook(
  store: BlogStore,
  next: { theme?: ThemeName | null; accent: string | null; customCss?: string },
): Promise<string | null> {
  const css = next.customCss ?? (await readCustomCss(store));
  if (next.customCss !== undefined) {
    if (next.customCss.trim()) await store.kv.put(store.keys.customCss, next.customCss);
    else await store.kv.delete(store.keys.customCss);
  }
  if (!next.accent && !css.trim()) return null;
  return blogCssVersion({ theme: next.theme ?? DEFAULT_THEME, accent: next.accent, customCss: css });
}

/** A blog's settings as the settings page writes them: the stylesheet first (its version goes with them), then the Blog object. */
export async function writeSettings(
  env: Env,
  name: string,
  patch: Partial<BlogSettings>,
  look: { theme: ThemeName | null; accent: string | null; customCss?: string },
  domains: string[] | null = null,
) {
  const cssVersion = await saveLook(blogStore(env.POSTS, name), look);
  return blogObject(env, name).configure(name, { ...patch, cssVersion }, domains, new Date().toISOString());
}

/** Settings as a backup kept them, put back the same way. */
export async function restoreSettings(env: Env, name: string, settings: Partial<BlogSettings>, customCss: string) {
  const done = await writeSettings(env, name, settings, { theme: settings.theme ?? null, accent: settings.accent ?? null, customCss });
  if (done.ok) holdRecord(done.blog);
  return done;
}
