import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { ErrorNote } from "./notes";

/** "To be informed of the latest articles, subscribe:" with an email form that works without JavaScript. */
export function SubscribeBox({
  email = "",
  error,
  id = "subscribe",
  heading = "Follow this blog",
}: {
  email?: string;
  error?: string;
  id?: string;
  /** The box's heading: "Follow this blog" under a post; "By email" on the follow page, whose title already says it. */
  heading?: string;
}) {
  return (
    <section class="subscribe" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{heading}</h2>
      <form method="post" action="/subscribe" class="subscribe-form">
        <label for={`${id}-email`}>To be informed of the latest articles, subscribe:</label>
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
          <button type="submit">Subscribe</button>
        </div>
        <p class="hint">One email per new article. Confirm from the link we send; unsubscribe in one click.</p>
      </form>
    </section>
  );
}
