import { TIMEOUTS } from "../content/vocabulary";
import type { Sessions } from "../durable/sessions";
import type { SiteEditor } from "../durable/site-editor";
import type { Subscribers } from "../durable/subscribers";
import type { Accounts } from "../platform/accounts";
import { MAIN_BLOG, objectName } from "../content/blogs";
import { rpcClient } from "./rpc";

/** A blog's Subscribers object (subscriptions, deliveries, the outbox). */
export function subscribers(env: Env, blog: string) {
  const id = env.SUBSCRIBERS.idFromName(objectName(blog, "subscribers"));
  return rpcClient<Subscribers>(env.SUBSCRIBERS.get(id), "subscriptions", TIMEOUTS.default);
}

/** A blog's SiteEditor, which serialises edits made through the API and the browser. */
export function siteEditor(env: Env, blog: string, timeoutMs: number = TIMEOUTS.editor) {
  return rpcClient<SiteEditor>(env.EDITOR.get(env.EDITOR.idFromName(objectName(blog, "site"))), "the editor", timeoutMs);
}

/** A blog's sessions (the main blog's object also holds the sessions of earlier versions, which kept all in one). */
export function sessions(env: Env, blog: string) {
  return rpcClient<Sessions>(env.SESSIONS.get(env.SESSIONS.idFromName(objectName(blog, "sessions"))), "sessions", TIMEOUTS.default);
}

/** Sessions issued before they were kept per blog (until they expire, SESSION_SECONDS after the upgrade at most). */
export const legacySessions = (env: Env) => sessions(env, MAIN_BLOG);

/** The operator's sessions on every blog (only the operator's own cookies reach it; `_` is in no blog name). */
export function operatorSessions(env: Env) {
  return rpcClient<Sessions>(env.SESSIONS.get(env.SESSIONS.idFromName("_operator/sessions")), "sessions", TIMEOUTS.default);
}

/** The platform's people and their roles (one object). */
export function accounts(env: Env) {
  return rpcClient<Accounts>(env.ACCOUNTS.get(env.ACCOUNTS.idFromName("accounts")), "accounts", TIMEOUTS.default);
}
