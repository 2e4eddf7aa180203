import { env } from "cloudflare:workers";
import { at } from "./helpers";

/**
 * Signing as the peer of test/setup/peer.ts, the way Mastodon signs (draft-cavage HTTP Signatures
 * over (request-target), host, date and digest with RSA-SHA256), for inbox tests below the
 * end-to-end tier.
 */
const bindings = env as unknown as { PEER_PRIVATE_JWK: string; PEER: Fetcher };

export const peerActor = (name = "alice") => `https://peer.test/users/${name}`;

let key: Promise<CryptoKey> | null = null;
const privateKey = () =>
  (key ??= crypto.subtle.importKey(
    "jwk",
    JSON.parse(bindings.PEER_PRIVATE_JWK) as JsonWebKey,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  ));

const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/** POSTs `activity` to `path` on `host`, signed by `signer`'s key (by default the activity's actor's). */
export async function signedPost(
  host: string,
  path: string,
  activity: Record<string, unknown>,
  signer = String(activity.actor),
): Promise<Response> {
  const body = JSON.stringify(activity);
  const date = new Date().toUTCString();
  const digest = `SHA-256=${base64(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)))}`;
  const signed = [`(request-target): post ${path}`, `host: ${host}`, `date: ${date}`, `digest: ${digest}`].join("\n");
  const signature = base64(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await privateKey(), new TextEncoder().encode(signed)));
  return at(host, path, {
    method: "POST",
    headers: {
      "Content-Type": "application/activity+json",
      Date: date,
      Digest: digest,
      Signature: `keyId="${signer}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`,
    },
    body,
  });
}

/** What the peer's inboxes have received so far. */
export async function peerDeliveries(): Promise<{ host: string; path: string; activity: any }[]> {
  return (await bindings.PEER.fetch("https://peer.test/__deliveries")).json();
}

/** Makes `name` resolve to `address` from now on (a name the peer controls, as in DNS rebinding). */
export async function peerDns(name: string, address: string): Promise<void> {
  await bindings.PEER.fetch(`https://peer.test/__dns?name=${encodeURIComponent(name)}&address=${encodeURIComponent(address)}`);
}

/** Gives the peer's actor `name` the inbox `inbox` in its actor document. */
export async function peerInbox(name: string, inbox: string): Promise<void> {
  await bindings.PEER.fetch(`https://peer.test/__actor?name=${encodeURIComponent(name)}&inbox=${encodeURIComponent(inbox)}`);
}

/** A Follow of `object` by the peer's actor `name`. */
export const followBy = (name: string, object: string, n = 1) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${peerActor(name)}#follows/${n}`,
  type: "Follow",
  actor: peerActor(name),
  object,
});
