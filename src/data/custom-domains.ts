/**
 * Cloudflare's API for custom hostnames (Cloudflare for SaaS), the three calls an owner's domain
 * needs: create, get, delete. Every answer is Cloudflare's envelope `{success, errors, messages,
 * result}`; a refusal names Cloudflare's reason, an unreachable API is a 503 to try again.
 * https://developers.cloudflare.com/api/resources/custom_hostnames/
 */
import { type CustomHostname, customHostnameUrl } from "../core/custom-domain";
import { AppError } from "../errors";

export interface CloudflareConfig {
  base: string;
  zone: string;
  token: string;
  /** Where owners' CNAME records point. */
  target: string;
}

/** The deployment's configuration, or null when it does not offer owners' own domains. */
export function cloudflareConfig(env: Env): CloudflareConfig | null {
  const { CF_ZONE_ID: zone, CF_API_TOKEN: token, CUSTOM_DOMAIN_TARGET: target } = env;
  if (!zone || !token || !target) return null;
  return { base: (env.CF_API_BASE || "https://api.cloudflare.com/client/v4").replace(/\/+$/, ""), zone, token, target };
}

type Envelope<T> = { success: boolean; errors?: { code?: number; message: string }[]; result: T | null };

async function call<T>(cfg: CloudflareConfig, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${customHostnameUrl(cfg.base, cfg.zone)}${path.replace(/^\/custom_hostnames/, "")}`, {
      method,
      headers: { Authorization: `Bearer ${cfg.token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new AppError("unavailable", "Cloudflare's API could not be reached; try again in a minute.");
  }
  const answer = (await res.json().catch(() => null)) as Envelope<T> | null;
  if (res.ok && answer?.success && answer.result) return answer.result;
  const reason = answer?.errors?.map((e) => e.message).join("; ") || `HTTP ${res.status}`;
  if (res.status >= 500 || res.status === 429 || !answer)
    throw new AppError("unavailable", `Cloudflare's API failed (${reason}); try again in a minute.`);
  throw new AppError("invalid_domain", `Cloudflare refused the domain: ${reason}`);
}

/** Registers the host name; Cloudflare validates it over HTTP once its CNAME points here, and issues its certificate. */
export const createHostname = (cfg: CloudflareConfig, host: string) =>
  call<CustomHostname>(cfg, "POST", "/custom_hostnames", {
    hostname: host,
    ssl: { method: "http", type: "dv", settings: { min_tls_version: "1.2" } },
  });

export const getHostname = (cfg: CloudflareConfig, id: string) =>
  call<CustomHostname>(cfg, "GET", `/custom_hostnames/${encodeURIComponent(id)}`);

export const deleteHostname = (cfg: CloudflareConfig, id: string) =>
  call<{ id: string }>(cfg, "DELETE", `/custom_hostnames/${encodeURIComponent(id)}`).catch((error) => {
    // Already gone at Cloudflare: nothing left to delete.
    if (error instanceof AppError && error.code === "invalid_domain") return { id };
    throw error;
  });
