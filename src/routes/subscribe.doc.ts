import { type Paths, admin, errors, json, ok, query, ref, schema } from "./openapi-kit";
import { importQuery } from "./subscribers-import";
import { emailSchema } from "./subscribe";

/** The OpenAPI description of the routes in subscribe.tsx (assembled by src/openapi.ts; never part of the worker). */
export const subscribePaths: Paths = {
  "/api/subscribe": {
    post: {
      summary: "Subscribe an address (double opt-in: a confirmation mail is sent)",
      requestBody: { required: true, ...json(schema(emailSchema)) },
      responses: {
        "202": ok("Pending confirmation", {
          type: "object",
          properties: { status: { const: "pending" }, message: { type: "string" } },
        }),
        ...errors(400, 413, 415, 429, 503),
      },
    },
  },
  "/api/admin/outbox": {
    get: {
      summary: "Mail kept by the outbox driver, newest last (admin)",
      security: admin,
      responses: {
        "200": ok("Messages", { type: "object", properties: { messages: { type: "array", items: ref("Message") } } }),
        ...errors(401),
      },
    },
  },
};

/** What `POST /api/subscribers/import` reports. */
const importReport = {
  type: "object",
  properties: {
    import: {
      type: "object",
      properties: {
        column: { type: "string", description: "The header of the column the addresses were read from" },
        added: { type: "integer", description: "Addresses new to the blog" },
        kept: { type: "integer", description: "Addresses the blog already had" },
        unsubscribedBefore: { type: "integer", description: "Addresses that unsubscribed from this blog: never subscribed again" },
        duplicates: { type: "integer", description: "Rows whose address was already in the file" },
        notSubscribed: { type: "integer", description: "Rows the export marks as unsubscribed, bounced or cleaned" },
        skipped: {
          type: "array",
          description: "Rows left out for their problems (skipBadRows=true)",
          items: {
            type: "object",
            properties: { line: { type: "integer" }, kind: { enum: ["empty", "notEmail", "tooLong"] }, value: { type: "string" } },
          },
        },
        toConfirm: { type: "integer", description: "Addresses the jobs queue will ask to confirm (consented=false)" },
      },
    },
  },
};

subscribePaths["/api/subscribers/import"] = {
  post: {
    summary: "Import subscribers from another platform's CSV export (owners)",
    description:
      "The address column is found by its name; repeats are merged and rows the export marks as unsubscribed are left out. All or nothing: a row without a valid address refuses the import (400, naming the lines) unless skipBadRows=true. Without consented=true each new address is asked to confirm by mail.",
    security: admin,
    parameters: query(importQuery),
    requestBody: { required: true, content: { "text/csv": { schema: { type: "string" } } } },
    responses: { "200": ok("Imported", importReport), ...errors(400, 401, 403, 413, 415) },
  },
};
