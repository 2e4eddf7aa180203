import { generateKeyPairSync } from "node:crypto";
// Miniflare's own classes: a custom service answers with its Response, not Node's.
import { type Request, Response } from "miniflare";

/**
 * A fediverse peer for the workerd tests (the end-to-end tier has its own server, test/e2e/peer.ts):
 * the federation worker's outbound requests go here (Miniflare's outboundService), so a test can
 * sign activities as `https://peer.test/users/<name>` and see what the blog delivers back. Its
 * documents follow what Mastodon serves: an actor with inbox, shared inbox and public key.
 */
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: "spki", format: "pem" }) as string;
/** The peer's private key, for the tests that sign as it (a binding of the test worker). */
export const PEER_PRIVATE_JWK = JSON.stringify(privateKey.export({ format: "jwk" }));

const deliveries: { host: string; path: string; activity: unknown }[] = [];

/**
 * The tests' controls (through the PEER binding): `/__deliveries` lists what arrived,
 * `/__dns?name=&address=` changes what a name resolves to, `/__actor?name=&inbox=` gives an actor
 * an inbox elsewhere.
 */
function control(url: URL): Response {
  const q = url.searchParams;
  if (url.pathname === "/__dns") DNS[q.get("name")!] = q.get("address")!;
  else if (url.pathname === "/__actor") INBOXES[q.get("name")!] = q.get("inbox")!;
  else if (url.pathname !== "/__deliveries") return new Response("no such control", { status: 404 });
  return new Response(JSON.stringify(deliveries), { headers: { "Content-Type": "application/json" } });
}

/**
 * The names the tests resolve: the peer at a public address, and a name that resolves to loopback
 * (what the production guard must see through). workerd's `node:dns` asks Cloudflare's DNS over
 * HTTPS JSON API (https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/make-api-requests/dns-json/),
 * so this answers in its shape: Status 0 (NOERROR) or 3 (NXDOMAIN), Answer records of type 1 (A).
 */
const DNS: Record<string, string> = { "peer.test": "93.184.215.14", "loopback.peer.test": "127.0.0.1" };
/** Actors whose inbox is elsewhere than on peer.test (set by a test through `/__actor`). */
const INBOXES: Record<string, string> = {};

function dnsAnswer(url: URL): Response {
  const name = (url.searchParams.get("name") ?? "").replace(/\.$/, "");
  const type = url.searchParams.get("type") ?? "A";
  const address = DNS[name];
  const body = {
    Status: address ? 0 : 3,
    Question: [{ name, type: type === "AAAA" ? 28 : 1 }],
    Answer: address && type === "A" ? [{ name, type: 1, TTL: 300, data: address }] : [],
  };
  return new Response(JSON.stringify(body), { headers: { "Content-Type": "application/dns-json" } });
}

/** Everything the federation worker fetches: the peer's actors and inboxes; any other host is unreachable, as on a machine without network. */
export async function peerOutbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (process.env.PEER_DEBUG) console.log("peer outbound:", request.method, request.url, [...request.headers].join(" | "));
  if (url.hostname === "peer.test" && url.pathname.startsWith("/__")) return control(url);
  if (url.hostname === "cloudflare-dns.com" && url.pathname === "/dns-query") return dnsAnswer(url);
  if (url.hostname !== "peer.test" && !url.hostname.endsWith(".peer.test"))
    return new Response("unreachable in the tests", { status: 502 });
  const actorMatch = /^\/users\/([a-z0-9-]+)$/.exec(url.pathname);
  if (request.method === "GET" && actorMatch) {
    const actor = `https://peer.test/users/${actorMatch[1]}`;
    return new Response(
      JSON.stringify({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id: actor,
        type: "Person",
        preferredUsername: actorMatch[1],
        name: `Peer ${actorMatch[1]}`,
        url: `https://peer.test/@${actorMatch[1]}`,
        inbox: INBOXES[actorMatch[1]!] ?? `${actor}/inbox`,
        ...(INBOXES[actorMatch[1]!] ? {} : { endpoints: { sharedInbox: "https://peer.test/inbox" } }),
        publicKey: { id: `${actor}#main-key`, owner: actor, publicKeyPem: PUBLIC_PEM },
      }),
      { headers: { "Content-Type": "application/activity+json" } },
    );
  }
  if (request.method === "POST" && (url.pathname === "/inbox" || /^\/users\/[a-z0-9-]+\/inbox$/.test(url.pathname))) {
    deliveries.push({ host: url.host, path: url.pathname, activity: await request.json().catch(() => null) });
    return new Response(null, { status: 202 });
  }
  return new Response("not found", { status: 404 });
}
