/**
 * An owner's own domain from request to service: registered with Cloudflare for SaaS, its status
 * asked by a job (jobs queue) a minute later, then less and less often, until Cloudflare serves it
 * (the Blog object then attaches it and makes it the blog's address) or it fails; removed on request.
 */
import { type CustomHostname, checkDelaySeconds, type OwnerDomain, ownerView, PENDING_LIMIT_MS } from "../core/custom-domain";
import type { Job } from "../core/jobs";
import { platformKeys } from "../core/keys";
import { log } from "../core/log";
import { AppError } from "../errors";
import { blogObject, holdRecord } from "./blogs";
import { cloudflareConfig, createHostname, deleteHostname, getHostname } from "./custom-domains";

async function keep(env: Env, name: string, next: OwnerDomain | null, now: Date): Promise<OwnerDomain | null> {
  try {
    const { blog } = await blogObject(env, name).setOwnerDomain(name, next, now.toISOString());
    holdRecord(blog);
    return next;
  } catch (error) {
    // Attaching failed (another blog took the name meanwhile): the owner sees why.
    if (next?.status === "active" && error instanceof AppError && error.code === "domain_taken")
      return keep(env, name, { ...next, status: "failed", reason: error.message }, now);
    throw error;
  }
}

export async function addOwnerDomain(env: Env, name: string, host: string, now: Date): Promise<OwnerDomain> {
  const cfg = cloudflareConfig(env);
  if (!cfg)
    throw new AppError(
      "domains_not_offered",
      "This deployment does not offer custom domains (its operator has not configured Cloudflare for SaaS).",
    );
  const current = await blogObject(env, name).ownerDomain();
  if (current?.host === host) return current;
  if (current) throw new AppError("invalid_domain", `The blog already has its own domain, ${current.host}: remove it first.`);
  const holder = await env.POSTS.get(platformKeys.domain(host));
  if (holder && (JSON.parse(holder) as { name?: string }).name !== name)
    throw new AppError("domain_taken", `The domain ${host} is already attached to another blog.`);
  const created: CustomHostname = await createHostname(cfg, host);
  const view = ownerView(created, cfg.target, null, now.toISOString());
  await keep(env, name, view, now);
  if (view.status === "pending")
    await env.JOBS.send({ kind: "domain-check", blog: name, host, checks: view.checks } satisfies Job, {
      delaySeconds: checkDelaySeconds(0),
    });
  return view;
}

export async function removeOwnerDomain(env: Env, name: string, now: Date): Promise<boolean> {
  const current = await blogObject(env, name).ownerDomain();
  if (!current) return false;
  const cfg = cloudflareConfig(env);
  if (cfg) await deleteHostname(cfg, current.id);
  await keep(env, name, null, now);
  return true;
}

/**
 * The job (and "Check now"): how Cloudflare stands with a pending domain; asked again later while
 * it stays pending, failed after 7 days. Each check queues the next one; a job queued before a
 * later check (`queued`: the count of checks it was queued at) is dropped, so clicks on "Check
 * now" never start a second chain of checks.
 */
export async function checkOwnerDomain(
  env: Env,
  name: string,
  host: string,
  now = new Date(),
  queued?: number,
): Promise<OwnerDomain | null> {
  const cfg = cloudflareConfig(env);
  const current = await blogObject(env, name).ownerDomain();
  if (!cfg || current?.host !== host || current.status !== "pending") return current;
  if (queued !== undefined && current.checks !== queued) return current;
  let next = ownerView(await getHostname(cfg, current.id), cfg.target, current, now.toISOString());
  if (next.status === "pending" && now.getTime() - Date.parse(current.addedAt) > PENDING_LIMIT_MS)
    next = {
      ...next,
      status: "failed",
      reason: next.reason ?? "The DNS records were not found within 7 days. Create them, then remove the domain and add it again.",
    };
  const kept = await keep(env, name, next, now);
  if (kept?.status === "pending")
    await env.JOBS.send({ kind: "domain-check", blog: name, host, checks: kept.checks } satisfies Job, {
      delaySeconds: checkDelaySeconds(kept.checks),
    });
  else log("info", "an owner's domain settled", { blog: name, host, status: kept?.status });
  return kept;
}
