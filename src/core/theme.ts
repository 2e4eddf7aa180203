/**
 * A blog's look: its theme, accent colour, logo, favicon and custom CSS. The themes are static
 * stylesheets (public/themes/); the accent and the custom CSS are served per blog as one more
 * stylesheet (`/blog.css`), never inline, so the CSP stays `style-src 'self'`.
 */
import { cssTokens } from "./css-tokens";
import { fnv1a } from "./hash";

export const THEMES = ["default", "newspaper", "minimal"] as const;
export type ThemeName = (typeof THEMES)[number];
export const DEFAULT_THEME: ThemeName = "default";

/** The web font each theme preloads (copied from @fontsource into public/fonts/ at install), if any. */
export const THEME_FONTS: Record<ThemeName, string | null> = {
  default: "/fonts/source-serif-4-latin-wght-normal.woff2",
  newspaper: "/fonts/playfair-display-latin-wght-normal.woff2",
  minimal: null,
};

export const ACCENT = /^#[0-9a-f]{6}$/;
export const MAX_CUSTOM_CSS = 16 * 1024;
export const MAX_IMAGE_URL = 500;

/** A logo or favicon address: a path on the blog's own origin, or an https URL. */
export function imageUrlProblem(value: string): string | null {
  if (value.length > MAX_IMAGE_URL) return `is longer than ${MAX_IMAGE_URL} characters`;
  if (/^\/(?!\/)[^\s"'<>\\]*$/.test(value)) return null;
  try {
    const url = new URL(value);
    if (url.protocol === "https:" && !/[\s"'<>\\]/.test(value)) return null;
  } catch {
    /* below */
  }
  return "must be a path on this blog (/images/logo.svg) or an https:// address";
}

const channel = (hex: string, i: number) => Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (rgb: number[]) => 0.2126 * linear(rgb[0]!) + 0.7152 * linear(rgb[1]!) + 0.0722 * linear(rgb[2]!);
const contrast = (a: number[], b: number[]) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};
const toHex = (rgb: number[]) =>
  `#${rgb
    .map((c) =>
      Math.round(Math.min(1, Math.max(0, c)) * 255)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;

/** Mixes a colour toward black (t < 0) or white (t > 0) until it reaches `ratio` against `against`. */
function readable(rgb: number[], against: number[], ratio: number, toward: 0 | 1): number[] {
  for (let t = 0; t <= 1; t += 0.02) {
    const mixed = rgb.map((c) => c + (toward - c) * t);
    if (contrast(mixed, against) >= ratio) return mixed;
  }
  return [toward, toward, toward];
}

const WHITE = [1, 1, 1];
/** The darkest background of the dark schemes (public/themes/*.css). */
const NIGHT = [0x12 / 255, 0x13 / 255, 0x16 / 255];

/**
 * The accent as readers see it: darkened where needed for text and buttons on the light
 * backgrounds (4.5:1 against white, with a margin for the off-white papers), lightened for the
 * dark scheme, so any colour an owner picks keeps the pages accessible.
 */
export function accentPalette(accent: string): { light: string; dark: string } {
  const rgb = [0, 1, 2].map((i) => channel(accent, i));
  return { light: toHex(readable(rgb, WHITE, 5, 0)), dark: toHex(readable(rgb, NIGHT, 6, 1)) };
}

/** The accent as readers see it, and how readable: the settings page shows this beside the colour. */
export function accentReport(accent: string): { light: string; dark: string; lightRatio: number; darkRatio: number } {
  const { light, dark } = accentPalette(accent);
  const rgb = (hex: string) => [0, 1, 2].map((i) => channel(hex, i));
  const round = (n: number) => Math.round(n * 10) / 10;
  return { light, dark, lightRatio: round(contrast(rgb(light), WHITE)), darkRatio: round(contrast(rgb(dark), NIGHT)) };
}

/** Functions that load or paint something other than a same-origin `url(/path)`, or run code. */
const REFUSED_FUNCTIONS = new Set(["image-set", "-webkit-image-set", "image", "cross-fade", "element", "paint", "expression", "src"]);
const REFUSED_AT_RULES = new Map([
  ["import", "@import is not allowed (the stylesheet may load nothing)"],
  ["namespace", "@namespace is not allowed"],
  ["font-face", "@font-face is not allowed: choose a theme's fonts"],
]);

/** Whether a `url()` names a path on this blog: `/…`, never `//host` nor `/\host` (which browsers read as `//host`). */
const samePath = (value: string) => /^\/(?![/\\])[^\s\\]*$/.test(value.trim());

/**
 * Why custom CSS is refused, or null. It may not fetch anything (no `@import`, `@namespace`,
 * `image-set()` or other loaders; `url()` only of same-origin paths) nor run anything
 * (`expression()`, `javascript:`, bindings), and it may not hold `<` (it is only ever served as a
 * stylesheet, but it is never HTML either). Read as CSS Syntax Level 3 reads it (css-tokens.ts),
 * so a `)` inside a quoted URL reads as the browser reads it; escapes are refused outright.
 */
export function customCssProblem(css: string): string | null {
  if (css.length > MAX_CUSTOM_CSS) return `is longer than ${MAX_CUSTOM_CSS / 1024} KB`;
  const lineOf = (index: number) => css.slice(0, index).split("\n").length;
  if (css.includes("<")) return `line ${lineOf(css.indexOf("<"))}: may not contain <`;
  if (css.includes("\\")) return `line ${lineOf(css.indexOf("\\"))}: escapes (\\) are not allowed`;
  const tokens = cssTokens(css);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const at = `line ${lineOf(token.at)}`;
    const urlRule = `${at}: url() may only name a path on this blog, such as url(/images/texture.png)`;
    switch (token.kind) {
      case "bad-string":
      case "bad-url":
        return `${at}: a string or url() is not closed`;
      case "at": {
        const refused = REFUSED_AT_RULES.get(token.value.toLowerCase());
        if (refused) return `${at}: ${refused}`;
        break;
      }
      case "url":
        if (!samePath(token.value)) return urlRule;
        break;
      case "function": {
        const name = token.value.toLowerCase();
        if (REFUSED_FUNCTIONS.has(name))
          return name === "expression" ? `${at}: may not run scripts` : `${at}: ${name}() is not allowed; use url(/path)`;
        if (name === "url") {
          // url("…"): one string, then the closing parenthesis.
          const [arg, close] = tokens.slice(i + 1, i + 3);
          if (arg?.kind !== "string" || close?.kind !== ")" || !samePath(arg.value)) return urlRule;
        }
        break;
      }
      case "ident":
      case "string": {
        const value = token.value.toLowerCase();
        if (/^(?:-moz-binding|behavior)$/.test(value) || value.includes("javascript:")) return `${at}: may not run scripts`;
        break;
      }
    }
  }
  return null;
}

/** The look settings that change the per-blog stylesheet. */
export interface Look {
  theme: ThemeName;
  accent: string | null;
  customCss: string;
}

/** The per-blog stylesheet: the accent's variables, then the owner's CSS. */
export function blogCss(look: Look): string {
  const parts: string[] = [];
  if (look.accent) {
    const { light, dark } = accentPalette(look.accent);
    parts.push(`:root{--accent:${light}}`, `@media (prefers-color-scheme: dark){:root{--accent:${dark}}}`);
  }
  if (look.customCss.trim()) parts.push(`/* The blog's own CSS */\n${look.customCss.trim()}`);
  return `${parts.join("\n")}\n`;
}

/** The version in `/blog.css?v=…` of a stylesheet's text: it changes whenever the text does. */
export const cssVersionOf = (css: string) => fnv1a(css).toString(36);

export const blogCssVersion = (look: Look) => cssVersionOf(blogCss(look));
