/**
 * A stand-in for the three calls of Cloudflare's API that owners' own domains make, answering as
 * Cloudflare documents them (one HTTP server: the workerd tests' globalSetup, or an end-to-end test's
 * own for `wrangler dev`):
 *
 * - POST   /client/v4/zones/{zone_id}/custom_hostnames       https://developers.cloudflare.com/api/resources/custom_hostnames/methods/create/
 * - GET    /client/v4/zones/{zone_id}/custom_hostnames/{id}  https://developers.cloudflare.com/api/resources/custom_hostnames/methods/get/
 * - DELETE /client/v4/zones/{zone_id}/custom_hostnames/{id}  https://developers.cloudflare.com/api/resources/custom_hostnames/methods/delete/
 *
 * Every answer is the API's envelope `{success, errors: [{code, message}], messages, result}`; a
 * request without `Authorization: Bearer <token>` gets 400 with code 10000 as the API does for a bad
 * token, a hostname asked twice 409 code 1406 ("Duplicate custom hostname found."). A new hostname
 * is `pending` with its certificate `pending_validation`, an ownership TXT record
 * (`_cf-custom-hostname.<host>`) and a DCV TXT record, as the API answers before the customer's DNS
 * points at the SaaS zone. Tests play that DNS change with `POST /_standin/{id}/{active|blocked}`,
 * and read what the API was asked at `GET /_standin/calls`.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

declare module "vitest" {
  export interface ProvidedContext {
    /** The stand-in's address, for the workerd tests. */
    cloudflareApi: string;
  }
}

export const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
export const TOKEN = "standin-api-token";

interface Hostname {
  id: string;
  hostname: string;
  status: string;
  ssl: {
    id: string;
    type: "dv";
    method: string;
    status: string;
    validation_records: { txt_name: string; txt_value: string }[];
    validation_errors?: { message: string }[];
  };
  ownership_verification: { type: "txt"; name: string; value: string };
  ownership_verification_http: { http_url: string; http_body: string };
  verification_errors?: string[];
  created_at: string;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((done) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => done(text));
  });

/** Starts the stand-in on a free port of 127.0.0.1: its address (the API's root is `<url>/client/v4`) and how to stop it. */
export async function startCloudflareStandIn(): Promise<{ url: string; close: () => Promise<void> }> {
  const hostnames = new Map<string, Hostname>();
  const calls: { method: string; path: string; body: unknown }[] = [];
  let n = 0;
  const server = createServer(async (req, res) => {
    const send = (status: number, result: unknown, errors: { code: number; message: string }[] = []) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ success: errors.length === 0, errors, messages: [], result }));
    };
    const url = new URL(req.url ?? "/", "http://standin");
    const text = await body(req);
    const control = /^\/_standin\/([^/]+)\/(active|blocked)$/.exec(url.pathname);
    if (url.pathname === "/_standin/calls") return send(200, calls);
    if (control) {
      const h = hostnames.get(control[1]!);
      if (!h) return send(404, null, [{ code: 1436, message: "The custom hostname was not found." }]);
      if (control[2] === "active") Object.assign(h, { status: "active", ssl: { ...h.ssl, status: "active", validation_records: [] } });
      else Object.assign(h, { status: "blocked", verification_errors: ["custom hostname does not CNAME to this zone."] });
      return send(200, h);
    }
    calls.push({ method: req.method ?? "GET", path: url.pathname, body: text ? JSON.parse(text) : null });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(400, null, [{ code: 10000, message: "Authentication error" }]);
    const m = /^\/client\/v4\/zones\/([^/]+)\/custom_hostnames(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m || m[1] !== ZONE)
      return send(404, null, [{ code: 7003, message: "Could not route to /zones, perhaps your object identifier is invalid?" }]);
    const id = m[2];
    if (req.method === "POST" && !id) {
      const { hostname } = JSON.parse(text) as { hostname: string };
      if ([...hostnames.values()].some((h) => h.hostname === hostname))
        return send(409, null, [{ code: 1406, message: "Duplicate custom hostname found." }]);
      const made: Hostname = {
        id: `standin${++n}`,
        hostname,
        status: "pending",
        ssl: {
          id: `ssl${n}`,
          type: "dv",
          method: "http",
          status: "pending_validation",
          validation_records: [{ txt_name: `_acme-challenge.${hostname}`, txt_value: `dcv-${n}` }],
        },
        ownership_verification: { type: "txt", name: `_cf-custom-hostname.${hostname}`, value: `0c3c-${n}` },
        ownership_verification_http: {
          http_url: `http://${hostname}/.well-known/cf-custom-hostname-challenge/${n}`,
          http_body: `body-${n}`,
        },
        created_at: new Date().toISOString(),
      };
      hostnames.set(made.id, made);
      return send(200, made);
    }
    const h = id ? hostnames.get(id) : undefined;
    if (!h) return send(404, null, [{ code: 1436, message: "The custom hostname was not found." }]);
    if (req.method === "GET") return send(200, h);
    if (req.method === "DELETE") {
      hostnames.delete(h.id);
      return send(200, { id: h.id });
    }
    return send(405, null, [{ code: 10405, message: "Method not allowed" }]);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** vitest globalSetup of the workerd tests: one stand-in, its address given as `inject("cloudflareApi")`. */
export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const standin = await startCloudflareStandIn();
  provide("cloudflareApi", standin.url);
  return standin.close;
}
