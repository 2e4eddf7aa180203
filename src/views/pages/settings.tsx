import { MODERATIONS, type Moderation } from "../../core/comments";
import { accentReport, THEME_LABELS, THEMES } from "../../core/theme";
import { ErrorNote, Notice } from "../components/notes";

const MODERATION_LABELS: Record<Moderation, string> = {
  open: "Open: comments appear at once",
  "first-time": "First-time: a new commenter's first comment waits for approval",
  all: "All: every comment waits for approval",
};

/** Languages offered, by tag; each is shown in its own language ("Français", "Deutsch"). */
const LANGUAGES = [
  "ar",
  "bg",
  "ca",
  "cs",
  "cy",
  "da",
  "de",
  "el",
  "en",
  "en-GB",
  "eo",
  "es",
  "et",
  "eu",
  "fa",
  "fi",
  "fr",
  "ga",
  "gl",
  "he",
  "hi",
  "hr",
  "hu",
  "id",
  "is",
  "it",
  "ja",
  "ko",
  "lt",
  "lv",
  "ms",
  "mt",
  "nb",
  "nl",
  "nn",
  "pl",
  "pt",
  "pt-BR",
  "ro",
  "ru",
  "sk",
  "sl",
  "sq",
  "sr",
  "sv",
  "sw",
  "th",
  "tr",
  "uk",
  "vi",
  "zh-Hans",
  "zh-Hant",
];

/** [tag, its name in that language], sorted by name; the blog's own tag is kept if it is not among them. */
function languageChoices(current: string): [string, string][] {
  const tags = LANGUAGES.includes(current) || !current ? LANGUAGES : [...LANGUAGES, current];
  const named = tags.map((tag): [string, string] => {
    try {
      const name = new Intl.DisplayNames([tag], { type: "language" }).of(tag) ?? tag;
      return [tag, `${name.charAt(0).toLocaleUpperCase(tag)}${name.slice(1)}`];
    } catch {
      // A tag this runtime cannot name (or that is no tag: a refused form shows what was sent) is shown as it is.
      return [tag, tag];
    }
  });
  return named.sort((a, b) => a[1].localeCompare(b[1]));
}

/** [IANA zone, "City (Region)"] for every zone the runtime knows, by city, so typing a city finds it. */
let zones: [string, string][] | null = null;
function timeZones(): [string, string][] {
  zones ??= (Intl as unknown as { supportedValuesOf(k: string): string[] })
    .supportedValuesOf("timeZone")
    .map((zone): [string, string] => {
      const parts = zone.split("/");
      const city = parts.at(-1)!.replace(/_/g, " ");
      return [zone, parts.length > 1 ? `${city} (${parts.slice(0, -1).join(" / ").replace(/_/g, " ")})` : city];
    })
    .sort((a, b) => a[1].localeCompare(b[1]));
  return zones;
}

/** How the accent reads on the pages: the colours readers get, and their contrast (4.5:1 is the floor for text). */
export function accentSentence(accent: string): string {
  const r = accentReport(accent);
  const adjusted = r.light.toLowerCase() !== accent.toLowerCase() ? ", darkened to stay readable" : "";
  return `Readers see it as ${r.light} on light pages (contrast ${r.lightRatio}:1) and ${r.dark} on dark ones (${r.darkRatio}:1)${adjusted}; text needs 4.5:1.`;
}

/** The report beside the colour, updated as the picker moves (public/settings.js asks /admin/settings/accent). */
function AccentReport({ accent }: { accent: string }) {
  const valid = /^#[0-9a-fA-F]{6}$/.test(accent);
  return (
    <p class="hint accent-report" id="accent-report" aria-live="polite" hidden={!valid}>
      {valid ? accentSentence(accent) : ""}
    </p>
  );
}

/** The blog's settings form; `values` are the fields as text (what the blog uses now, or what was sent). */
export function SettingsPage(props: {
  csrf: string;
  values: Record<
    | "title"
    | "description"
    | "author"
    | "language"
    | "timeZone"
    | "moderation"
    | "blockedWords"
    | "rateLimit"
    | "theme"
    | "accent"
    | "logo"
    | "favicon"
    | "customCss"
    | "menu",
    string
  >;
  error?: string;
  saved?: boolean;
  /** What the menu can link to: the blog's pages and tags (the hint lists their addresses). */
  linkable?: { pages: { slug: string; title: string }[]; tags: { slug: string; name: string }[] };
}) {
  const v = props.values;
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">Settings</h1>
      {props.saved ? <Notice>Saved. Readers see the change within a few seconds.</Notice> : null}
      <ErrorNote message={props.error} />
      <form method="post" action="/admin/settings" class="comment-form editor">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="set-title">Title</label>
          <input id="set-title" name="title" value={v.title} required maxlength={200} />
        </p>
        <p>
          <label for="set-description">Description</label>
          <textarea id="set-description" name="description" rows={3} maxlength={1000}>
            {v.description}
          </textarea>
        </p>
        <p>
          <label for="set-author">Author (shown on posts that name none)</label>
          <input id="set-author" name="author" value={v.author} maxlength={100} />
        </p>
        <p>
          <label for="set-language">Language</label>
          <select id="set-language" name="language">
            {languageChoices(v.language).map(([tag, name]) => (
              <option value={tag} selected={tag === v.language}>
                {name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="set-zone">Time zone (type a city: Paris, Auckland, New York…)</label>
          <input id="set-zone" name="timeZone" value={v.timeZone} required maxlength={64} list="time-zones" autocomplete="off" />
          <datalist id="time-zones">
            {timeZones().map(([zone, city]) => (
              <option value={zone}>{city}</option>
            ))}
          </datalist>
        </p>
        <p>
          <label for="set-moderation">Comment moderation</label>
          <select id="set-moderation" name="moderation">
            {MODERATIONS.map((m) => (
              <option value={m} selected={v.moderation === m}>
                {MODERATION_LABELS[m]}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="set-blocked">Blocked words (comma-separated; a comment containing one waits for approval)</label>
          <input id="set-blocked" name="blockedWords" value={v.blockedWords} maxlength={2000} />
        </p>
        <p>
          <label for="set-rate">Comments per address per minute on one post (0: no limit)</label>
          <input id="set-rate" name="rateLimit" value={v.rateLimit} inputmode="numeric" pattern="\d{1,4}" />
        </p>
        <fieldset class="look">
          <legend>Look</legend>
          <p>
            <label for="set-theme">Theme</label>
            <select id="set-theme" name="theme">
              {THEMES.map((t) => (
                <option value={t} selected={v.theme === t}>
                  {THEME_LABELS[t]}
                </option>
              ))}
            </select>
          </p>
          <p class="hint theme-previews">
            See your blog in each theme before choosing (nothing is saved; only you see it):{" "}
            {THEMES.map((t, i) => (
              <>
                {i ? " · " : ""}
                <a href={`/?theme=${t}`} target="_blank" rel="noopener">
                  {THEME_LABELS[t]}
                </a>
              </>
            ))}
          </p>
          <p>
            <label for="set-accent">Accent colour (#rrggbb; empty: the theme's; darkened or lightened as needed to stay readable)</label>
            <span class="accent-choice">
              <input
                type="color"
                id="set-accent-picker"
                value={/^#[0-9a-fA-F]{6}$/.test(v.accent) ? v.accent.toLowerCase() : "#0b5cad"}
                aria-label="Choose the accent colour"
                hidden
              />{" "}
              <input id="set-accent" name="accent" value={v.accent} maxlength={7} pattern="#[0-9a-fA-F]{6}" placeholder="#0b5cad" />
            </span>
          </p>
          <AccentReport accent={v.accent} />
          <script src="/settings.js" defer></script>
          <p>
            <label for="set-logo">Logo (a path such as /images/logo.svg, or an https:// address; shown before the title)</label>
            <input id="set-logo" name="logo" value={v.logo} maxlength={500} />
          </p>
          <p>
            <label for="set-favicon">Favicon (a path or an https:// address; empty: the platform's)</label>
            <input id="set-favicon" name="favicon" value={v.favicon} maxlength={500} />
          </p>
          <p>
            <label for="set-css">Custom CSS (at most 16 KB; no @import, no url() to another site; served as its own stylesheet)</label>
            <textarea id="set-css" name="customCss" rows={6} class="code" spellcheck={false}>
              {v.customCss}
            </textarea>
          </p>
        </fieldset>
        <fieldset class="menu-settings">
          <legend>Menu</legend>
          <p>
            <label for="set-menu">
              The links under the blog's title, in this order: one per line, the label, a bar, then the address. Empty: Home, Archive,
              Search, Follow this blog and Administration.
            </label>
            <textarea id="set-menu" name="menu" rows={6} class="code" spellcheck={false} placeholder={"Home | /\nAbout | /pages/about"}>
              {v.menu}
            </textarea>
          </p>
          <p class="hint">
            Addresses: / (home), /archive, /search, /follow, a page (/pages/…), a tag (/tags/…) or any https:// address.
            {props.linkable?.pages.length
              ? ` Your pages: ${props.linkable.pages.map((p) => `${p.title} | /pages/${p.slug}`).join("; ")}.`
              : ""}
            {props.linkable?.tags.length
              ? ` Your tags: ${props.linkable.tags
                  .slice(0, 20)
                  .map((t) => `${t.name} | /tags/${t.slug}`)
                  .join("; ")}.`
              : ""}
          </p>
        </fieldset>
        <p>
          <button type="submit">Save settings</button>
        </p>
      </form>
      <h2>Logo and favicon from an image</h2>
      <p class="hint">Upload an image (PNG, JPEG, WebP, AVIF or GIF); it goes into the media library and is used at once.</p>
      {(["logo", "favicon"] as const).map((which) => (
        <form method="post" action={`/admin/settings/${which}`} enctype="multipart/form-data" class="upload-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <label for={`set-${which}-file`}>{which === "logo" ? "Logo" : "Favicon"}</label>{" "}
          <input id={`set-${which}-file`} name="file" type="file" accept="image/png,image/jpeg,image/webp,image/avif,image/gif" required />{" "}
          <button type="submit" class="secondary">
            Upload the {which}
          </button>
        </form>
      ))}
    </section>
  );
}
