import { TIMEOUTS } from "../core/vocabulary";
import type { Sessions } from "../durable/sessions";
import type { SiteEditor } from "../durable/site-editor";
import type { Subscribers } from "../durable/subscribers";
import type { Accounts } from "../platform/accounts";
import { accountsName, personKey } from "../core/people";
import type { Address } from "../platform/address";
import type { Person } from "../platform/person";
import { MAIN_BLOG, objectName } from "../core/blogs";
import { rpcClient } from "./rpc";

/** A blog's Subscribers object (subscriptions, deliveries, the outbox). */
export function subscribers(env: Env, blog: string) {
  const id = env.SUBSCRIBERS.idFromName(objectName(blog, "subscribers"));
  return rpcClient<Subscribers>(env.SUBSCRIBERS.get(id), "subscriptions", TIMEOUTS.default);
}

/** A blog's subscribers by status, for the administration's pages; null when the object cannot answer now. */
export function subscriberCounts(env: Env, blog: string): Promise<Record<string, number> | null> {
  return subscribers(env, blog)
    .counts()
    .then(
      (r) => ({ ...r }) as Record<string, number>,
      () => null,
    );
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

/** A blog's people: members and roles, one-time links, personal tokens, the audit log. */
export function accounts(env: Env, blog: string) {
  return rpcClient<Accounts>(env.ACCOUNTS.get(env.ACCOUNTS.idFromName(accountsName(blog))), "accounts", TIMEOUTS.default);
}

/** A person (by their address): their id, the blogs they joined, their "+ Create my blog" links. */
export async function person(env: Env, email: string) {
  return personByKey(env, await personKey(email));
}

/** The person a "+ Create my blog" token names (its first part is their object's key); null for a token of no such shape. */
export function personOfToken(env: Env, token: string) {
  const key = /^([A-Za-z0-9_-]{43})\./.exec(token)?.[1];
  return key ? personByKey(env, `person:${key}`) : null;
}

/** A person by their object's key (personKey), when the caller has it already. */
export const personByKey = (env: Env, key: string) =>
  rpcClient<Person>(env.PEOPLE.get(env.PEOPLE.idFromName(key)), "accounts", TIMEOUTS.default);

/** One network address's limits across blogs. */
export const address = (env: Env, ip: string) =>
  rpcClient<Address>(env.ADDRESSES.get(env.ADDRESSES.idFromName(`ip:${ip}`)), "limits", TIMEOUTS.default);
