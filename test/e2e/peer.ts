/**
 * An independent ActivityPub peer for the end-to-end tests: a small Node server with its own RSA
 * key, which serves its actor, records what arrives in its inbox, and signs its own requests the
 * way Mastodon does (draft-cavage HTTP Signatures over (request-target), host, date and digest).
 */
import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  at: number;
  path: string;
  signature: string | undefined;
  activity: any;
}

export interface Peer {
  origin: string;
  actor: string;
  inbox: Delivery[];
  /** Answers the next `n` deliveries with 503 (a server that is down). */
  failNext(n: number): void;
  /** A signed POST of `activity` to `url` (at `date`, default now); resolves with the status and body. */
  post(url: string, activity: object, opts?: { date?: Date; sign?: boolean }): Promise<{ status: number; body: string }>;
  /** A GET as an ActivityPub client (unsigned). */
  get(url: string, accept?: string): Promise<{ status: number; body: string }>;
  /** Waits until an inbox delivery matches. */
  waitFor(match: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      // *.localhost names do not resolve in Node here: connect to loopback, name the host in the header.
      { host: "127.0.0.1", port: u.port, path: u.pathname + u.search, method, headers: { ...headers, host: u.host } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function startPeer(name: string): Promise<Peer> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const inbox: Delivery[] = [];
  let failing = 0;
  let origin = "";
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d));
    req.on("end", () => {
      const actor = `${origin}/users/${name}`;
      if (req.method === "GET" && req.url === `/users/${name}`) {
        res.writeHead(200, { "Content-Type": "application/activity+json" });
        res.end(
          JSON.stringify({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            id: actor,
            type: "Person",
            preferredUsername: name,
            name: `Peer ${name}`,
            url: `${origin}/@${name}`,
            inbox: `${actor}/inbox`,
            endpoints: { sharedInbox: `${origin}/inbox` },
            publicKey: { id: `${actor}#main-key`, owner: actor, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) },
          }),
        );
        return;
      }
      if (req.method === "POST" && (req.url === "/inbox" || req.url === `/users/${name}/inbox`)) {
        if (failing > 0) {
          failing--;
          res.writeHead(503);
          res.end("down for maintenance");
          return;
        }
        let activity: unknown = null;
        try {
          activity = JSON.parse(body);
        } catch {
          /* recorded as null */
        }
        // Either scheme: draft-cavage (Signature with keyId) or RFC 9421 (Signature-Input with keyid).
        const signature = [req.headers.signature, req.headers["signature-input"]].filter(Boolean).join(" ");
        inbox.push({ at: Date.now(), path: req.url, signature: signature || undefined, activity });
        res.writeHead(202);
        res.end();
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actor = `${origin}/users/${name}`;

  return {
    origin,
    actor,
    inbox,
    failNext(n) {
      failing = n;
    },
    async post(url, activity, opts = {}) {
      const body = JSON.stringify(activity);
      const u = new URL(url);
      const date = (opts.date ?? new Date()).toUTCString();
      const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
      const headers: Record<string, string> = { "Content-Type": "application/activity+json", Date: date, Digest: digest };
      if (opts.sign !== false) {
        const signed = `(request-target): post ${u.pathname}\nhost: ${u.host}\ndate: ${date}\ndigest: ${digest}`;
        const signature = createSign("RSA-SHA256").update(signed).sign(privateKey, "base64");
        headers.Signature = `keyId="${actor}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`;
      }
      return send(url, "POST", headers, body);
    },
    get(url, accept = "application/activity+json") {
      return send(url, "GET", { Accept: accept });
    },
    async waitFor(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = inbox.find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `peer ${name}: nothing matching arrived in ${timeoutMs} ms; got ${JSON.stringify(inbox.map((d) => d.activity?.type))}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
