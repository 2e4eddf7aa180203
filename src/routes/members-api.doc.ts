import { type Paths, admin, errors, id, json, ok, ref, schema } from "./openapi-kit";
import { memberBody } from "./members-api";

/** The OpenAPI description of the routes in members-api.ts (assembled by src/openapi.ts; never part of the worker). */
export const memberPaths: Paths = {
  "/api/members": {
    get: {
      summary: "The blog's members and their roles, and the open invitations (owner)",
      security: admin,
      responses: {
        "200": ok("Members", {
          type: "object",
          properties: {
            members: { type: "array", items: ref("Member") },
            invitations: { type: "array", items: ref("Invitation") },
          },
        }),
        ...errors(401, 403),
      },
    },
    post: {
      summary: "Invite a person (by email) with a role no higher than yours; they join when they accept the mailed link (owner)",
      security: admin,
      requestBody: { required: true, ...json(schema(memberBody)) },
      responses: {
        "202": ok("Invited", { type: "object", properties: { invitation: ref("Invitation") } }),
        ...errors(400, 401, 403, 415),
      },
    },
  },
  "/api/members/{id}": {
    patch: {
      summary: "Change a member's role (owner); the last owner stays one",
      security: admin,
      parameters: [id],
      requestBody: {
        required: true,
        ...json({ type: "object", required: ["role"], properties: { role: { enum: ["moderator", "editor", "owner"] } } }),
      },
      responses: {
        "200": ok("The member"),
        "409": { description: "last_owner", ...json(ref("Error")) },
        ...errors(400, 401, 403, 404),
      },
    },
    delete: {
      summary: "Remove a member (owner); the last owner cannot be removed",
      security: admin,
      parameters: [id],
      responses: { "204": ok("Removed"), "409": { description: "last_owner", ...json(ref("Error")) }, ...errors(401, 403, 404) },
    },
  },
  "/api/audit": {
    get: {
      summary: "The blog's audit log, newest first, 50 a page (owner)",
      security: admin,
      parameters: [{ name: "before", in: "query", required: false, schema: { type: "integer", minimum: 1 } }],
      responses: {
        "200": ok("Entries", {
          type: "object",
          properties: { entries: { type: "array", items: ref("AuditEntry") }, meta: { type: "object" } },
        }),
        ...errors(401, 403),
      },
    },
  },
};
