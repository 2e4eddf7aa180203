import { MODERATIONS, type Moderation } from "../../content/comments";
import { THEME_LABELS, THEMES } from "../../content/theme";
import { ErrorNote, Notice } from "../components/notes";

const MODERATION_LABELS: Record<Moderation, string> = {
  open: "Open: comments appear at once",
  "first-time": "First-time: a new commenter's first comment waits for approval",
  all: "All: every comment waits for approval",
};

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
    | "customCss",
    string
  >;
  error?: string;
  saved?: boolean;
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
          <label for="set-language">Language (a tag such as en, fr or pt-BR)</label>
          <input id="set-language" name="language" value={v.language} required maxlength={35} />
        </p>
        <p>
          <label for="set-zone">Time zone (IANA, e.g. Europe/Paris)</label>
          <input id="set-zone" name="timeZone" value={v.timeZone} required maxlength={64} />
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
          <p>
            <label for="set-accent">Accent colour (#rrggbb; empty: the theme's; darkened or lightened as needed to stay readable)</label>
            <input id="set-accent" name="accent" value={v.accent} maxlength={7} pattern="#[0-9a-fA-F]{6}" placeholder="#0b5cad" />
          </p>
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
        <p>
          <button type="submit">Save settings</button>
        </p>
      </form>
    </section>
  );
}
