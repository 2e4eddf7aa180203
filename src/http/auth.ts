import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { parse as parseCookie } from "hono/utils/cookie";
import { toBase64url } from "../core/base64url";
import { mac, signToken, verifyToken } from "../core/tokens";
import { SESSION_COOKIE, SESSION_SECONDS, UNSAFE_METHODS } from "../core/vocabulary";
import { MAIN_BLOG } from "../core/blogs";
import { type Role, allows } from "../core/people";
import { BoundedMap } from "../core/maps";
import { accounts, legacySessions, operatorSessions, person, sessions } from "../data/objects";
import { TOKEN_PREFIX } from "../core/people";
import { AppError } from "../errors";
import { type AppEnv, MIN_ADMIN_TOKEN } from "../settings";

const encoder = new TextEncoder();
/** A session is signed for one blog: its cookie, copied to another blog's host, is worthless there. */
const sessionPurpose = <E extends AppEnv>(c: Context<E>) => {
  const scope = c.var.settings.tokenScope;
  return scope ? `session:${scope}` : "session";
};
const CSRF = "csrf";

/** Compares two secrets in constant time (hashing first so lengths do not leak either). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  // workerd's SubtleCrypto has timingSafeEqual (highlight.js's types pull in the DOM's, which lacks it).
  return (crypto.subtle as unknown as { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean }).timingSafeEqual(x, y);
}

/**
 * Opens a session valid SESSION_SECONDS — the operator's, or a person's (`personId`) — and
 * answers the cookie value for it; null when administration is disabled.
 */
export async function newSession<E extends AppEnv>(
  c: Context<E>,
  personId: number | null = null,
  now = Date.now(),
): Promise<string | null> {
  const adminToken = c.var.settings.adminToken;
  if (!adminToken) return null;
  const id = `${personId === null ? OPERATOR_ID : PERSON_ID}${toBase64url(crypto.getRandomValues(new Uint8Array(16)))}`;
  const expires = now + SESSION_SECONDS * 1000;
  await sessionStore(c, id).open(id, expires, personId);
  return signToken(adminToken, sessionPurpose(c), id, expires);
}

/**
 * Where a session is kept, from its id: a person's in their blog's object, the operator's in
 * theirs; an id of an earlier version (no prefix: they kept every session in one object) in that
 * object, which only cookies issued before the upgrade reach, for SESSION_SECONDS at most.
 */
const PERSON_ID = "p.";
const OPERATOR_ID = "op.";
function sessionStore<E extends AppEnv>(c: Context<E>, id: string) {
  if (id.startsWith(PERSON_ID)) return sessions(c.env, c.var.store.name);
  if (id.startsWith(OPERATOR_ID)) return operatorSessions(c.env);
  return legacySessions(c.env);
}

/**
 * Open sessions this isolate checked lately, for SESSION_HOLD_MS: a signed-in request then costs
 * no object call. Ending sessions in this isolate forgets them all at once; any other isolate
 * stops honouring an ended session within SESSION_HOLD_MS.
 */
export const SESSION_HOLD_MS = 5_000;
const heldSessions = new BoundedMap<string, { personId: number | null; at: number; expires: number }>(10_000);

async function openSession<E extends AppEnv>(c: Context<E>, id: string, expires: number): Promise<{ personId: number | null } | undefined> {
  const key = `${c.var.store.name} ${id}`;
  const now = Date.now();
  const held = heldSessions.get(key);
  if (held && now - held.at < SESSION_HOLD_MS && now < held.expires) return held;
  const open = await sessionStore(c, id).active(id);
  if (open) heldSessions.set(key, { personId: open.personId, at: now, expires });
  else heldSessions.delete(key);
  return open;
}

/**
 * Members' roles this isolate asked for lately, for SESSION_HOLD_MS like sessions: a signed-in
 * editor's save, the page it returns to and the preview that page asks for ask the blog's
 * Accounts once. A role changed or removed in this isolate is forgotten at once (forgetHeldAccess);
 * any other isolate applies it within SESSION_HOLD_MS, the bound sign-out already has.
 */
const heldRoles = new BoundedMap<string, { role: Role; at: number }>(10_000);

/** Forgets every session and role this isolate holds: a sign-out, a role changed or removed here. */
export function forgetHeldAccess(): void {
  heldSessions.clear();
  heldRoles.clear();
}

/** Held by session (never by person alone): a blog deleted and made again under its name starts with new sessions. */
async function roleOf<E extends AppEnv>(c: Context<E>, cookie: string, personId: number): Promise<Role | null> {
  const blog = c.var.store.name;
  const key = `${blog} ${cookie}`;
  const now = Date.now();
  const held = heldRoles.get(key);
  if (held && now - held.at < SESSION_HOLD_MS) return held.role;
  const role = await accounts(c.env, blog).role(blog, personId);
  if (role) heldRoles.set(key, { role, at: now });
  else heldRoles.delete(key);
  return role;
}

/** Signs the browser in: a new session (the operator's, or a person's) in the `__Host-` cookie. */
export async function signInBrowser<E extends AppEnv>(c: Context<E>, personId: number | null): Promise<void> {
  const session = await newSession(c, personId);
  if (!session) throw new AppError("admin_disabled", "Administration is disabled on this deployment.");
  setCookie(c, SESSION_COOKIE, session, { httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: SESSION_SECONDS });
}

/** The session id in the request's cookie when the cookie is genuine and unexpired (not yet whether it was ended). */
async function sessionId<E extends AppEnv>(c: Context<E>): Promise<string | null> {
  const token = c.var.settings.adminToken;
  const raw = getCookie(c, SESSION_COOKIE);
  if (!token || !raw) return null;
  return verifyToken(token, sessionPurpose(c), raw, Date.now());
}

/** When the request's (genuine) cookie expires: the signed token's second field. */
const cookieExpiry = <E extends AppEnv>(c: Context<E>): number => Number(getCookie(c, SESSION_COOKIE)?.split(".")[1] ?? 0);

/** A signed-in session: its cookie value (for the CSRF token) and whose it is (null: the operator's). */
export interface Session {
  cookie: string;
  personId: number | null;
}

/** One answer per request, however many checks ask. */
const checked = new WeakMap<Request, Promise<Session | null>>();

/** The request's session when its cookie is genuine, unexpired and the session has not been ended. */
export function validSession<E extends AppEnv>(c: Context<E>): Promise<Session | null> {
  let answer = checked.get(c.req.raw);
  if (!answer) {
    answer = sessionId(c).then(async (id) => {
      const open = id === null ? undefined : await openSession(c, id, cookieExpiry(c));
      return open ? { cookie: getCookie(c, SESSION_COOKIE)!, personId: open.personId } : null;
    });
    checked.set(c.req.raw, answer);
  }
  return answer;
}

/**
 * Who is asking: the operator (ADMIN_TOKEN, as a bearer token or the session it signed in), a
 * member of this blog with their role now, or nobody. Roles are read on every request, so a
 * removed member loses access at once.
 */
export type Principal = { kind: "operator" } | { kind: "person"; personId: number; role: Role; tokenName?: string };

const principals = new WeakMap<Request, Promise<Principal | null>>();

export function principal<E extends AppEnv>(c: Context<E>): Promise<Principal | null> {
  let answer = principals.get(c.req.raw);
  if (!answer) {
    answer = (async (): Promise<Principal | null> => {
      const expected = c.var.settings.adminToken;
      if (!expected) return null;
      const bearer = bearerToken(c);
      if (bearer !== null) {
        if (await sameSecret(bearer, expected)) return { kind: "operator" };
        if (!bearer.startsWith(TOKEN_PREFIX)) return null;
        const person = await accounts(c.env, c.var.store.name).tokenPrincipal(c.var.store.name, bearer, new Date().toISOString());
        return person ? { kind: "person", ...person } : null;
      }
      const session = await validSession(c);
      if (!session) return null;
      if (session.personId === null) return { kind: "operator" };
      const role = await roleOf(c, session.cookie, session.personId);
      return role ? { kind: "person", personId: session.personId, role } : null;
    })();
    principals.set(c.req.raw, answer);
  }
  return answer;
}

/** Whether a principal may do what `need` allows on this blog (the operator may do everything). */
export const may = (who: Principal | null, need: Role): boolean => !!who && (who.kind === "operator" || allows(who.role, need));

/** Ends the request's session (sign out); a copy of its cookie stops working at once. */
export async function endSession<E extends AppEnv>(c: Context<E>): Promise<void> {
  const id = await sessionId(c);
  checked.delete(c.req.raw);
  principals.delete(c.req.raw);
  forgetHeldAccess();
  if (id !== null) await sessionStore(c, id).end(id);
}

/** Ends every session of whoever signed this one in ("sign out everywhere"): a person's, or the operator's. */
export async function endAllSessions<E extends AppEnv>(c: Context<E>): Promise<number> {
  const session = await validSession(c);
  checked.delete(c.req.raw);
  principals.delete(c.req.raw);
  forgetHeldAccess();
  if (session?.personId == null) {
    const ended = await Promise.all([operatorSessions(c.env).endAll(), legacySessions(c.env).endAll()]);
    return ended[0] + ended[1];
  }
  // A person's sessions are kept by each blog they sign in to: every blog they are a member of, this one, and the old single object.
  const personId = session.personId;
  const here = c.var.store.name;
  const email = await accounts(c.env, here).emailOf(here, personId);
  const blogs = new Set([here, ...(email ? await (await person(c.env, email)).blogs() : [])]);
  const ended = await Promise.all([
    ...[...blogs].map((blog) => sessions(c.env, blog).endPerson(personId)),
    legacySessions(c.env).endPerson(personId),
  ]);
  return ended.reduce((a, b) => a + b, 0);
}

/** A person's open sessions on this blog (and, until they expire, those of the old single object). */
export async function sessionsOf<E extends AppEnv>(c: Context<E>, personId: number) {
  const [own, legacy] = await Promise.all([
    sessions(c.env, c.var.store.name).ofPerson(personId),
    c.var.store.name === MAIN_BLOG ? [] : legacySessions(c.env).ofPerson(personId),
  ]);
  return [...own, ...legacy].sort((a, b) => b.createdAt - a.createdAt);
}

/** The CSRF token of a session, for the hidden field of every admin form. */
export function csrfToken<E extends AppEnv>(c: Context<E>, session: string): Promise<string> {
  return mac(c.var.settings.adminToken ?? "", CSRF, session);
}

/** The bearer token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(c: Context): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("Authorization") ?? "");
  return match ? match[1]!.trim() : null;
}

/**
 * Whether the request carries credentials of any kind: an Authorization header, or the session
 * cookie as this app's own cookie parser reads it. Answers to such requests depend on who asks:
 * they are private (never stored) and the page caches neither serve nor keep them.
 */
export function hasCredentials(c: Context): boolean {
  return requestHasCredentials(c.req.raw.headers);
}

/** hasCredentials() of a request not yet in a context (the page cache's front door). */
export function requestHasCredentials(headers: Headers): boolean {
  if (headers.has("Authorization")) return true;
  const cookie = headers.get("Cookie");
  return cookie !== null && parseCookie(cookie, SESSION_COOKIE)[SESSION_COOKIE] !== undefined;
}

/** The header a signed-in page sends its CSRF token in when it writes through the JSON API. */
export const CSRF_HEADER = "X-CSRF-Token";

/**
 * Whether the request may do what `need` allows on this blog: the operator's bearer token, or a
 * session of the operator or of a member whose role allows it. A write with the cookie must also
 * carry the session's CSRF token (X-CSRF-Token), since the browser sends the cookie whatever page asks.
 */
export async function hasRole<E extends AppEnv>(c: Context<E>, need: Role = "editor"): Promise<boolean> {
  const who = await principal(c);
  if (!may(who, need)) return false;
  if (bearerToken(c) !== null || !UNSAFE_METHODS.has(c.req.method)) return true;
  const session = await validSession(c);
  return !!session && sameSecret(c.req.header(CSRF_HEADER) ?? "", await csrfToken(c, session.cookie));
}

/** Every guard answers a deployment without a strong ADMIN_TOKEN the same way: 503 admin_disabled, never open. */
export function administrationEnabled<E extends AppEnv>(c: Context<E>): void {
  if (!c.var.settings.adminToken) {
    throw new AppError(
      "admin_disabled",
      `Administration is disabled: no ADMIN_TOKEN secret of at least ${MIN_ADMIN_TOKEN} characters is configured.`,
    );
  }
}

/** The admin API's guard: the operator, or a member whose role includes `need`. */
export const requireRole =
  (need: Role): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    administrationEnabled(c);
    if (!(await hasRole(c, need))) {
      const who = await principal(c);
      // Signed in but with too small a role: forbidden (a cookie write without its CSRF token stays 401).
      if (who && !may(who, need)) throw new AppError("forbidden", `This needs the ${need} role on this blog (or higher).`);
      c.header("WWW-Authenticate", 'Bearer realm="admin"');
      throw new AppError("unauthorized", "This needs Authorization: Bearer <ADMIN_TOKEN> or a signed-in session.");
    }
    await next();
  };

/** The operator's routes (the platform's blogs): `Authorization: Bearer <ADMIN_TOKEN>` only. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  administrationEnabled(c);
  const bearer = bearerToken(c);
  if (bearer === null || !(await sameSecret(bearer, c.var.settings.adminToken!))) {
    c.header("WWW-Authenticate", 'Bearer realm="operator"');
    throw new AppError("unauthorized", "This needs Authorization: Bearer <ADMIN_TOKEN> (the operator's token).");
  }
  await next();
};
