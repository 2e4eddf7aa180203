import { AdminSection } from "../components/admin-section";
import { MODERATIONS } from "../../core/comments";
import { type AdminMessages, languageName, say } from "../../core/i18n";
import { useWords } from "../admin-words";
import { accentReport, THEMES } from "../../core/theme";
import { ErrorNote, Notice } from "../components/notes";

/** Languages offered, by tag; each is shown in its own language ("Français", "Deutsch"). */
const LANGUAGES =
  "ar bg ca cs cy da de el en en-GB eo es et eu fa fi fr ga gl he hi hr hu id is it ja ko lt lv ms mt nb nl nn pl pt pt-BR ro ru sk sl sq sr sv sw th tr uk vi zh-Hans zh-Hant".split(
    " ",
  );

/** [tag, its name in that language], sorted by name; the blog's own tag is kept if it is not among them. */
function languageChoices(current: string): [string, string][] {
  const tags = LANGUAGES.includes(current) || !current ? LANGUAGES : [...LANGUAGES, current];
  // A tag this runtime cannot name (or that is no tag: a refused form shows what was sent) is shown as it is.
  const named = tags.map((tag): [string, string] => [tag, languageName(tag)]);
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
export function accentSentence(words: AdminMessages, accent: string): string {
  const r = accentReport(accent);
  const adjusted = r.light.toLowerCase() !== accent.toLowerCase();
  const ratio = (n: number | string) => new Intl.NumberFormat(words.locale, { maximumFractionDigits: 2 }).format(Number(n));
  return say(adjusted ? words.settings.accentReportAdjusted : words.settings.accentReport, {
    light: r.light,
    dark: r.dark,
    lightRatio: ratio(r.lightRatio),
    darkRatio: ratio(r.darkRatio),
  });
}

/** The report beside the colour, updated as the picker moves (public/settings.js asks /admin/settings/accent). */
function AccentReport({ accent }: { accent: string }) {
  const valid = /^#[0-9a-fA-F]{6}$/.test(accent);
  return (
    <p class="hint accent-report" id="accent-report" aria-live="polite" hidden={!valid}>
      {valid ? accentSentence(useWords(), accent) : ""}
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
    | "emailPosts"
    | "mostRead"
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
  /** Whether the blog can be deleted by its owner (any but the platform's main blog). */
  deletable?: boolean;
}) {
  const v = props.values;
  const words = useWords();
  const w = words.settings;
  const f = w.fields;
  return (
    <AdminSection title={w.title}>
      {props.saved ? <Notice>{w.saved}</Notice> : null}
      <ErrorNote message={props.error} />
      <form method="post" action="/admin/settings" class="comment-form editor">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="set-title">{f.title}</label>
          <input id="set-title" name="title" value={v.title} required maxlength={200} />
        </p>
        <p>
          <label for="set-description">{f.description}</label>
          <textarea id="set-description" name="description" rows={3} maxlength={1000}>
            {v.description}
          </textarea>
        </p>
        <p>
          <label for="set-author">{f.author}</label>
          <input id="set-author" name="author" value={v.author} maxlength={100} />
        </p>
        <p>
          <label for="set-language">{f.language}</label>
          <select id="set-language" name="language">
            {languageChoices(v.language).map(([tag, name]) => (
              <option value={tag} selected={tag === v.language}>
                {name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="set-zone">{f.timeZone}</label>
          <input id="set-zone" name="timeZone" value={v.timeZone} required maxlength={64} list="time-zones" autocomplete="off" />
          <datalist id="time-zones">
            {timeZones().map(([zone, city]) => (
              <option value={zone}>{city}</option>
            ))}
          </datalist>
        </p>
        <p>
          <label for="set-moderation">{f.moderation}</label>
          <select id="set-moderation" name="moderation">
            {MODERATIONS.map((m) => (
              <option value={m} selected={v.moderation === m}>
                {w.moderations[m]}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="set-email-posts">{f.emailPosts}</label>
          <select id="set-email-posts" name="emailPosts">
            {(["on", "off"] as const).map((m) => (
              <option value={m} selected={v.emailPosts === m}>
                {w.emailPostsChoices[m]}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="set-most-read">{f.mostRead}</label>
          <select id="set-most-read" name="mostRead">
            {(["on", "off"] as const).map((m) => (
              <option value={m} selected={v.mostRead === m}>
                {w.mostReadChoices[m]}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="set-blocked">{f.blockedWords}</label>
          <input id="set-blocked" name="blockedWords" value={v.blockedWords} maxlength={2000} />
        </p>
        <p>
          <label for="set-rate">{f.rateLimit}</label>
          <input id="set-rate" name="rateLimit" value={v.rateLimit} inputmode="numeric" pattern="\d{1,4}" />
        </p>
        <fieldset class="look">
          <legend>{w.look}</legend>
          <p>
            <label for="set-theme">{f.theme}</label>
            <select id="set-theme" name="theme">
              {THEMES.map((t) => (
                <option value={t} selected={v.theme === t}>
                  {w.themes[t]}
                </option>
              ))}
            </select>
          </p>
          <p class="hint theme-previews">
            {w.previews}{" "}
            {THEMES.map((t, i) => (
              <>
                {i ? " · " : ""}
                <a href={`/?theme=${t}`} target="_blank" rel="noopener">
                  {w.themes[t]}
                </a>
              </>
            ))}
          </p>
          <p>
            <label for="set-accent">{f.accent}</label>
            <span class="accent-choice">
              <input
                type="color"
                id="set-accent-picker"
                value={/^#[0-9a-fA-F]{6}$/.test(v.accent) ? v.accent.toLowerCase() : "#0b5cad"}
                aria-label={f.accentPicker}
                hidden
              />{" "}
              <input id="set-accent" name="accent" value={v.accent} maxlength={7} pattern="#[0-9a-fA-F]{6}" placeholder="#0b5cad" />
            </span>
          </p>
          <AccentReport accent={v.accent} />
          <script src="/settings.js" defer></script>
          <p>
            <label for="set-logo">{f.logo}</label>
            <input id="set-logo" name="logo" value={v.logo} maxlength={500} />
          </p>
          <p>
            <label for="set-favicon">{f.favicon}</label>
            <input id="set-favicon" name="favicon" value={v.favicon} maxlength={500} />
          </p>
          <p>
            <label for="set-css">{f.customCss}</label>
            <textarea id="set-css" name="customCss" rows={6} class="code" spellcheck={false}>
              {v.customCss}
            </textarea>
          </p>
        </fieldset>
        <fieldset class="menu-settings">
          <legend>{w.menu}</legend>
          <p>
            <label for="set-menu">{f.menu}</label>
            <textarea id="set-menu" name="menu" rows={6} class="code" spellcheck={false} placeholder={w.menuPlaceholder}>
              {v.menu}
            </textarea>
          </p>
          <p class="hint">
            {w.menuHint}
            {props.linkable?.pages.length
              ? ` ${say(w.yourPages, { list: props.linkable.pages.map((p) => `${p.title} | /pages/${p.slug}`).join("; ") })}`
              : ""}
            {props.linkable?.tags.length
              ? ` ${say(w.yourTags, {
                  list: props.linkable.tags
                    .slice(0, 20)
                    .map((t) => `${t.name} | /tags/${t.slug}`)
                    .join("; "),
                })}`
              : ""}
          </p>
        </fieldset>
        <p>
          <button type="submit">{w.save}</button>
        </p>
      </form>
      <h2>{w.imagesTitle}</h2>
      <p class="hint">{w.imagesHint}</p>
      {(["logo", "favicon"] as const).map((which) => (
        <form method="post" action={`/admin/settings/${which}`} enctype="multipart/form-data" class="upload-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <label for={`set-${which}-file`}>{which === "logo" ? w.logo : w.favicon}</label>{" "}
          <input id={`set-${which}-file`} name="file" type="file" accept="image/png,image/jpeg,image/webp,image/avif,image/gif" required />{" "}
          <button type="submit" class="secondary">
            {which === "logo" ? w.uploadLogo : w.uploadFavicon}
          </button>
        </form>
      ))}
      <p>
        <a href="/admin/domain">{words.domain.link}</a>
      </p>
      <p>
        <a href="/admin/export">{words.exports.link}</a>
      </p>
      <p>
        <a href="/admin/backups">{words.backups.link}</a>
      </p>
      {props.deletable ? (
        <p>
          <a href="/admin/delete">{words.closeBlog.link}</a>
        </p>
      ) : null}
    </AdminSection>
  );
}
