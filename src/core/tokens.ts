import { fromBase64url, toBase64url } from "./base64url";
import { NUMERIC_ID } from "./vocabulary";

/**
 * The one signed-token scheme: `<payload>.<expires>.<signature>`, the payload base64url, the
 * signature an HMAC-SHA256 over purpose, payload and expiry. The purpose keeps one kind of token
 * (an edit token, a subscription link, a session) from ever passing as another under the same secret.
 */
const enc = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function key(secret: string): Promise<CryptoKey> {
  let k = keyCache.get(secret);
  if (!k) {
    k = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    if (keyCache.size > 100) keyCache.clear();
    keyCache.set(secret, k);
  }
  return k;
}

const message = (purpose: string, payload: string, expires: number) => enc.encode(`${purpose}\n${expires}\n${payload}`);

/** The MAC of a message, base64url (the CSRF token of a session, say). */
export async function mac(secret: string, purpose: string, payload: string): Promise<string> {
  return toBase64url(await crypto.subtle.sign("HMAC", await key(secret), message(purpose, payload, 0)));
}

/** A token carrying `payload`, good until `expires` (ms since the epoch; 0: never expires). */
export async function signToken(secret: string, purpose: string, payload: string, expires: number): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", await key(secret), message(purpose, payload, expires));
  return `${toBase64url(enc.encode(payload))}.${expires}.${toBase64url(sig)}`;
}

/** The payload of a genuine, unexpired token of this purpose; null for anything else. */
export async function verifyToken(secret: string, purpose: string, token: string, now: number): Promise<string | null> {
  const parts = token.split(".");
  if (parts.length !== 3 || !NUMERIC_ID.test(parts[1]!)) return null;
  const bytes = fromBase64url(parts[0]!);
  const sig = fromBase64url(parts[2]!);
  const expires = Number(parts[1]);
  if (!bytes || !sig || (expires !== 0 && expires < now)) return null;
  const payload = new TextDecoder().decode(bytes);
  const ok = await crypto.subtle.verify("HMAC", await key(secret), sig, message(purpose, payload, expires));
  return ok ? payload : null;
}

/** When a token says it expires (0: never), without checking it. */
export function tokenExpiry(token: string): number | null {
  const expires = Number(token.split(".")[1]);
  return Number.isSafeInteger(expires) ? expires : null;
}
