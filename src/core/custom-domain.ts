/**
 * An owner's own domain, served through Cloudflare for SaaS: the platform registers it as a custom
 * hostname (`POST /zones/{zone}/custom_hostnames`), Cloudflare issues its certificate, a job asks
 * its status (`GET …/custom_hostnames/{id}`) until it is active or failed, and the blog is then
 * served there, its subdomain answering 301 to it. What Cloudflare answers is reduced here to what
 * the owner sees: the status, the reason it failed, and the DNS records to create.
 * Shapes: https://developers.cloudflare.com/api/resources/custom_hostnames/methods/create/
 */

export interface DnsRecord {
  type: "CNAME" | "TXT";
  name: string;
  value: string;
}

export interface OwnerDomain {
  host: string;
  /** Cloudflare's id of the custom hostname. */
  id: string;
  status: "pending" | "active" | "failed";
  /** Why it failed, or what Cloudflare still waits for (its own words). */
  reason: string | null;
  records: DnsRecord[];
  addedAt: string;
  checkedAt: string;
  /** How many times its status was asked (the next ask waits longer). */
  checks: number;
}

/** A custom hostname as Cloudflare's API describes it (the fields this platform reads). */
export interface CustomHostname {
  id: string;
  hostname: string;
  status: string;
  ssl?: {
    status?: string;
    validation_records?: { txt_name?: string; txt_value?: string; http_url?: string; http_body?: string }[];
    validation_errors?: { message: string }[];
  } | null;
  verification_errors?: string[];
  ownership_verification?: { type?: string; name?: string; value?: string } | null;
}

/** Statuses after which Cloudflare will not make the hostname work without a new request. */
const FAILED = new Set(["moved", "deleted", "blocked", "test_failed", "test_blocked"]);
const SSL_FAILED = new Set(["validation_timed_out", "issuance_timed_out", "deleted", "expired"]);

/** What the owner sees of a custom hostname: the records to create (the CNAME to the platform's target first). */
export function ownerView(h: CustomHostname, target: string, previous: OwnerDomain | null, now: string): OwnerDomain {
  const records: DnsRecord[] = [{ type: "CNAME", name: h.hostname, value: target }];
  const own = h.ownership_verification;
  if (own?.type === "txt" && own.name && own.value) records.push({ type: "TXT", name: own.name, value: own.value });
  for (const r of h.ssl?.validation_records ?? [])
    if (r.txt_name && r.txt_value) records.push({ type: "TXT", name: r.txt_name, value: r.txt_value });
  const sslStatus = h.ssl?.status ?? "";
  const errors = [...(h.verification_errors ?? []), ...(h.ssl?.validation_errors ?? []).map((e) => e.message)];
  const status =
    h.status === "active" && sslStatus === "active" ? "active" : FAILED.has(h.status) || SSL_FAILED.has(sslStatus) ? "failed" : "pending";
  return {
    host: h.hostname,
    id: h.id,
    status,
    reason:
      status === "active"
        ? null
        : (errors[0] ?? (status === "failed" ? `Cloudflare says: ${h.status} (certificate: ${sslStatus || "none"})` : null)),
    records,
    addedAt: previous?.addedAt ?? now,
    checkedAt: now,
    checks: (previous?.checks ?? -1) + 1,
  };
}

/** A host name an owner may type: letters, digits and hyphens in dot-separated labels, with a top-level domain. */
export const HOST_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Waits between status checks: a minute, doubling, at most 12 hours (a queue message's longest delay); failed after 7 days. */
export const checkDelaySeconds = (checks: number) => Math.min(12 * 3600, 60 * 2 ** Math.min(checks, 10));
export const PENDING_LIMIT_MS = 7 * 24 * 3_600_000;

/** A custom hostname's address in Cloudflare's API (`base` the API's root, CF_API_BASE). */
export const customHostnameUrl = (base: string | undefined, zone: string, id?: string) =>
  `${(base || "https://api.cloudflare.com/client/v4").replace(/\/+$/, "")}/zones/${encodeURIComponent(zone)}/custom_hostnames${id ? `/${encodeURIComponent(id)}` : ""}`;
