import { TIMEOUTS } from "../content/vocabulary";
import type { Sessions } from "../durable/sessions";
import type { SiteEditor } from "../durable/site-editor";
import type { Subscribers } from "../durable/subscribers";
import { rpcClient } from "./rpc";

/** The blog's single Subscribers object (subscriptions, deliveries, the outbox). */
export function subscribers(env: Env) {
  return rpcClient<Subscribers>(env.SUBSCRIBERS.get(env.SUBSCRIBERS.idFromName("subscribers")), "subscriptions", TIMEOUTS.default);
}

/** The site's single SiteEditor, which serialises edits made through the API and the browser. */
export function siteEditor(env: Env, timeoutMs: number = TIMEOUTS.editor) {
  return rpcClient<SiteEditor>(env.EDITOR.get(env.EDITOR.idFromName("site")), "the editor", timeoutMs);
}

/** The editors' sessions (one object). */
export function sessions(env: Env) {
  return rpcClient<Sessions>(env.SESSIONS.get(env.SESSIONS.idFromName("sessions")), "sessions", TIMEOUTS.default);
}
