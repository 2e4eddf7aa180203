import type { Context } from "hono";
import { accounts } from "../data/objects";
import type { AppEnv } from "../settings";
import { principal } from "./auth";

export type { AuditAction } from "../core/audit";
import type { AuditAction } from "../core/audit";
import { log } from "../core/log";

/** Records a change made by the request's principal on the request's blog (awaited: the log never lags the change). */
export async function audit<E extends AppEnv>(
  c: Context<E>,
  action: AuditAction,
  target: string,
  /** Who, when the request was not signed in yet (a person accepting an invitation). */
  as?: { personId: number },
): Promise<void> {
  const who = await principal(c);
  const actor = as ?? (who?.kind === "person" ? { personId: who.personId, tokenName: who.tokenName } : { personId: null });
  try {
    await accounts(c.env, c.var.store.name).record(c.var.store.name, actor, action, target, new Date().toISOString());
  } catch (err) {
    // The change itself is done; a log that could not be written is reported, not turned into an error.
    log("error", "audit log entry could not be recorded", { action, target, error: err });
  }
}
