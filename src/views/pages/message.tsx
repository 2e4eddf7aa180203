import type { Child } from "hono/jsx";
import type { Messages } from "../../core/i18n";
import { english } from "../../core/i18n";

/** A short page that answers a form or a link: subscribed, confirmed, unsubscribed… */
export function MessagePage({ heading, children, t = english() }: { heading: string; children?: Child; t?: Messages }) {
  return (
    <section class="message-page">
      <h1 class="page-title">{heading}</h1>
      {children}
      <p>
        <a href="/">{t.back.home}</a>
      </p>
    </section>
  );
}

/** The page a mailed one-time link opens: a question and a button that POSTs the token (a mail scanner's GET changes nothing). */
export function LinkButtonPage(props: { heading: string; question: Child; action: string; token: string; button: string; t?: Messages }) {
  return (
    <MessagePage heading={props.heading} t={props.t}>
      <p>{props.question}</p>
      <form method="post" action={props.action}>
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{props.button}</button>
      </form>
    </MessagePage>
  );
}

/** A one-time link that is expired, used, or not this blog's. */
export function BadLinkPage(props: { text: string; retry: { href: string; label: string }; t?: Messages }) {
  const t = props.t ?? english();
  return (
    <MessagePage heading={t.subscription.badLink} t={t}>
      <p>{props.text}</p>
      <p>
        <a href={props.retry.href}>{props.retry.label}</a>
      </p>
    </MessagePage>
  );
}
