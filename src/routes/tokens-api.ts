import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { ROLES } from "../core/people";
import { accounts } from "../data/objects";
import { AppError } from "../errors";
import { bearerToken, principal, requireRole } from "../http/auth";
import { jsonBody } from "../http/limits";
import type { AppEnv } from "../settings";
import { numericId, validate } from "./validation";
import { audit } from "../http/audit";

export const tokenBody = z.object({
  name: z
    .string({ error: "name is required (what the token is for)" })
    .check(z.trim(), z.minLength(1, "name is required"), z.maxLength(80, "name is too long")),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }),
});

/** The signed-in person (the operator has ADMIN_TOKEN and no personal tokens). */
async function person(c: Context<AppEnv>): Promise<number> {
  const who = await principal(c);
  if (who?.kind !== "person") throw new AppError("bad_request", "Personal tokens belong to a person: sign in with your email address.");
  return who.personId;
}

/**
 * Tokens are made and revoked from a signed-in session only: a token can then never mint one
 * stronger than itself (nor a copy of itself that outlives its revocation).
 */
async function sessionPerson(c: Context<AppEnv>): Promise<number> {
  if (bearerToken(c) !== null) {
    throw new AppError("forbidden", "Personal tokens are made and revoked from a signed-in session, not with a token.");
  }
  return person(c);
}

/** A member's personal API tokens on this blog: `Authorization: Bearer <token>` acts as them, with at most the token's role. */
export const tokensApi = new Hono<AppEnv>()
  .use("/tokens", requireRole("moderator"))
  .use("/tokens/*", requireRole("moderator"))
  .get("/tokens", async (c) => c.json({ tokens: await accounts(c.env, c.var.store.name).tokens(c.var.store.name, await person(c)) }))
  .post("/tokens", ...jsonBody, validate("json", tokenBody, { code: "invalid_input", whole: "The token" }), async (c) => {
    const { name, role } = c.req.valid("json");
    const { token, info } = await accounts(c.env, c.var.store.name).createToken(
      c.var.store.name,
      await sessionPerson(c),
      name,
      role,
      new Date().toISOString(),
    );
    await audit(c, "token.created", `${name} (${role})`);
    // Shown once: only a hash is kept.
    return c.json({ token, ...info }, 201);
  })
  .delete("/tokens/:id", validate("param", z.object({ id: numericId("the token id must be a whole number") })), async (c) => {
    await accounts(c.env, c.var.store.name).revokeToken(c.var.store.name, await sessionPerson(c), c.req.valid("param").id);
    await audit(c, "token.revoked", `#${c.req.valid("param").id}`);
    return c.body(null, 204);
  });
