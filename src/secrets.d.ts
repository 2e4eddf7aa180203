// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: they are declared here.
// Locally they come from .dev.vars (see .dev.vars.example); in production from `wrangler secret put`.
declare namespace Cloudflare {
  interface Env {
    /** Bearer token of the admin API; also keys the comment edit tokens. Admin is disabled without it. */
    ADMIN_TOKEN?: string;
    /** API key of the mail provider, for MAIL_DRIVER = "resend". */
    MAIL_API_KEY?: string;
    /** Cloudflare for SaaS (owners' own domains): the zone its custom hostnames are made in, and an API token allowed to edit them. */
    CF_ZONE_ID?: string;
    CF_API_TOKEN?: string;
  }
}
