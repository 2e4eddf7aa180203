import { HELD_MAIL, type HeldMail } from "../../core/people";
import { type Language, LANGUAGES, languageName, say } from "../../core/i18n";
import { useWords } from "../admin-words";

/** "Sign out" and "Sign out everywhere" (this person's sessions, or the operator's). */
export function SignOutForms({ csrf }: { csrf: string }) {
  const w = useWords().signOut;
  return (
    <>
      <form method="post" action="/admin/logout">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit" class="secondary">
          {w.here}
        </button>
      </form>
      <form method="post" action="/admin/logout-everywhere">
        <input type="hidden" name="csrf" value={csrf} />
        {/* Less prominent than "Sign out": it ends every session of this person, on every device. */}
        <button type="submit" class="link-button">
          {w.everywhere}
        </button>
      </form>
    </>
  );
}

/** The administration's language: the person's choice, or their browser's (the first option). */
export function LanguageForm(props: { csrf: string; chosen: Language | null; browser: Language }) {
  const w = useWords().me;
  return (
    <form method="post" action="/admin/me/language" class="comment-form">
      <input type="hidden" name="csrf" value={props.csrf} />
      <p>
        <label for="me-language">{w.language}</label>
        <select id="me-language" name="language" aria-describedby="me-language-hint">
          <option value="" selected={props.chosen === null}>
            {say(w.languageDefault, { language: languageName(props.browser) })}
          </option>
          {LANGUAGES.map((l) => (
            <option value={l} lang={l} selected={l === props.chosen}>
              {languageName(l)}
            </option>
          ))}
        </select>
        <span class="hint" id="me-language-hint">
          {w.languageHint}
        </span>
      </p>
      <p>
        <button type="submit" class="secondary">
          {w.saveLanguage}
        </button>
      </p>
    </form>
  );
}

/** What the member is mailed of comments waiting for moderation: each one, a daily digest, or nothing. */
export function HeldMailForm(props: { csrf: string; mode: HeldMail }) {
  const w = useWords().me;
  const labels: Record<HeldMail, string> = { each: w.heldEach, digest: w.heldDigest, none: w.heldNone };
  return (
    <form method="post" action="/admin/me/held-mail" class="comment-form">
      <input type="hidden" name="csrf" value={props.csrf} />
      <p>
        <label for="me-held-mail">{w.heldMail}</label>
        <select id="me-held-mail" name="mode">
          {HELD_MAIL.map((m) => (
            <option value={m} selected={m === props.mode}>
              {labels[m]}
            </option>
          ))}
        </select>
      </p>
      <p>
        <button type="submit" class="secondary">
          {w.saveHeldMail}
        </button>
      </p>
    </form>
  );
}
