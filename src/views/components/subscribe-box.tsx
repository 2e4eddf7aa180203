import type { Messages } from "../../core/i18n";
import { english } from "../../core/i18n";
import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "./notes";

/** "To be informed of the latest articles, subscribe:" with an email form that works without JavaScript. */
export function SubscribeBox({
  email = "",
  error,
  id = "subscribe",
  t = english(),
  heading = t.subscribe.heading,
}: {
  email?: string;
  error?: string;
  id?: string;
  /** The box's heading: "Follow this blog" under a post; "By email" on the follow page, whose title already says it. */
  heading?: string;
  t?: Messages;
}) {
  return (
    <section class="subscribe" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{heading}</h2>
      <form method="post" action="/subscribe" class="subscribe-form">
        <label for={`${id}-email`}>{t.subscribe.label}</label>
        <ErrorNote message={error} />
        <div class="subscribe-row">
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            required
            maxlength={MAX_EMAIL_LENGTH}
            autocomplete="email"
            placeholder="you@example.com"
            value={email}
          />
          <button type="submit">{t.subscribe.button}</button>
        </div>
        <p class="hint">{t.subscribe.hint}</p>
      </form>
    </section>
  );
}
