import { admin, errors, json, ok, type Paths, schema } from "./openapi-kit";
import { domainInput } from "./owner-domain";

const domain = {
  type: ["object", "null"],
  properties: {
    host: { type: "string" },
    id: { type: "string", description: "Cloudflare's id of the custom hostname" },
    status: { enum: ["pending", "active", "failed"] },
    reason: { type: ["string", "null"], description: "Why it failed, or what Cloudflare still waits for" },
    records: {
      type: "array",
      description: "The DNS records to create at the domain's registrar (the CNAME to the platform first)",
      items: { type: "object", properties: { type: { enum: ["CNAME", "TXT"] }, name: { type: "string" }, value: { type: "string" } } },
    },
    addedAt: { type: "string", format: "date-time" },
    checkedAt: { type: "string", format: "date-time" },
    checks: { type: "integer" },
  },
};

/** The OpenAPI description of the routes in owner-domain.tsx (assembled by src/openapi.ts; never part of the worker). */
export const ownerDomainPaths: Paths = {
  "/api/domain": {
    get: {
      summary: "The blog's own domain (owners)",
      security: admin,
      responses: {
        "200": ok("Whether the deployment offers it, the CNAME target, and the domain", {
          type: "object",
          properties: { offered: { type: "boolean" }, target: { type: ["string", "null"] }, domain },
        }),
        ...errors(401, 403),
      },
    },
    put: {
      summary: "Serve the blog at its own domain (owners; Cloudflare for SaaS)",
      description:
        "Registers the host name with Cloudflare (a custom hostname, its certificate issued by Cloudflare) and answers the DNS records to create; its status is checked again by itself until it is active (the blog is then served there and its subdomain answers 301 to it) or failed. One domain per blog. 409 `domains_not_offered` where the operator has not configured Cloudflare for SaaS; 409 `domain_taken`; 400 `invalid_domain`.",
      security: admin,
      requestBody: { required: true, ...json(schema(domainInput)) },
      responses: { "202": ok("Registered", { type: "object", properties: { domain } }), ...errors(400, 401, 403, 409, 415, 503) },
    },
    delete: {
      summary: "Stop serving the blog at its own domain (owners)",
      security: admin,
      responses: { "204": { description: "Removed (at Cloudflare too)" }, ...errors(401, 403, 404, 503) },
    },
  },
};
