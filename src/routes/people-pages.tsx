import { HELD_MAIL } from "../core/people";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { ROLES, type Role } from "../core/people";
import { accounts } from "../data/objects";
import { AppError } from "../errors";
import { audit } from "../http/audit";
import { principal, sessionsOf } from "../http/auth";
import { formBody } from "../http/limits";
import { MePage, PeoplePage } from "../views/pages/people";
import { type AdminEnv, noStore, PAGE, signedIn, signedInAs, signedInPerson } from "./admin-session";
import { changeRole, inviteMember, removeMember } from "./members";
import { emailSchema } from "./subscribe";
import { formText, personId, validate, validQuery } from "./validation";
import { adminLanguageOf, rememberEditorMode, rememberLanguage, wordsFor } from "../http/admin-language";
import { EDITOR_MODES } from "../core/vocabulary";
import { isLanguage, type Language, languageName, LANGUAGES, acceptedLanguage, say } from "../core/i18n";

const idParam = z.object({ id: personId("not a whole number") });
const roleOf = (text: string): Role | null => ((ROLES as readonly string[]).includes(text) ? (text as Role) : null);

async function peoplePage(c: Context<AdminEnv>, notice?: string) {
  const blog = c.var.store.name;
  const [members, invitations] = await Promise.all([
    accounts(c.env, c.var.store.name).members(blog),
    accounts(c.env, c.var.store.name).invitations(blog, Date.now()),
  ]);
  return c.render(
    <PeoplePage csrf={c.get("csrf")} members={members} invitations={invitations} timeZone={c.var.settings.blog.timeZone} notice={notice} />,
    { ...PAGE, title: wordsFor(c).people.title },
  );
}

/** The signed-in person (the operator has no page of their own: ADMIN_TOKEN is theirs). */
async function me(c: Context<AdminEnv>): Promise<{ personId: number; role: Role }> {
  const who = await principal(c);
  if (who?.kind !== "person") throw new AppError("bad_request", "This page is a member's: the operator signs in with ADMIN_TOKEN.");
  return who;
}

async function mePage(c: Context<AdminEnv>, newToken?: string, notice?: string) {
  const { personId, role } = await me(c);
  const blog = c.var.store.name;
  const [email, open, tokens, heldMail] = await Promise.all([
    accounts(c.env, c.var.store.name)
      .members(blog)
      .then((all) => all.find((m) => m.personId === personId)?.email ?? ""),
    sessionsOf(c, personId),
    accounts(c.env, c.var.store.name).tokens(blog, personId),
    accounts(c.env, c.var.store.name).heldMail(blog, personId),
  ]);
  return c.render(
    <MePage
      csrf={c.get("csrf")}
      email={email}
      role={role}
      sessions={open}
      tokens={tokens}
      timeZone={c.var.settings.blog.timeZone}
      newToken={newToken}
      notice={notice}
      language={languageChoice(c)}
      heldMail={heldMail ?? "none"}
    />,
    { ...PAGE, title: wordsFor(c).me.pageTitle },
  );
}

/** The language form's state: the person's choice (null: none) and what their browser asks for. */
export function languageChoice(c: Context<AdminEnv>): { chosen: Language | null; browser: Language } {
  const { language, chosen } = adminLanguageOf(c);
  return { chosen: chosen ? language : null, browser: acceptedLanguage(c.req.header("Accept-Language")) ?? "en" };
}

/** The notice after a choice, in the language chosen. */
export function languageSaved(c: Context<AdminEnv>): string {
  return say(wordsFor(c).me.languageSaved, { language: languageName(c.var.adminLanguage ?? "en") });
}

/** The members' pages in the browser: People (owners) and a member's own page (sessions, tokens). */
export const peoplePages = new Hono<AdminEnv>()
  .use("/admin/people", noStore)
  .use("/admin/people/*", noStore)
  .use("/admin/me", noStore)
  .use("/admin/me/*", noStore)
  .get("/admin/people", signedInAs("owner"), (c) => peoplePage(c))
  .post(
    "/admin/people",
    ...formBody,
    signedInAs("owner"),
    validate("form", z.object({ email: formText(), role: formText() })),
    async (c) => {
      const form = c.req.valid("form");
      const parsed = emailSchema.safeParse({ email: form.email });
      const role = roleOf(form.role);
      if (!parsed.success || !role) {
        c.status(400);
        return peoplePage(c, wordsFor(c).people.inviteProblem);
      }
      await inviteMember(c, parsed.data.email, role);
      return peoplePage(c, say(wordsFor(c).people.invited, { email: parsed.data.email }));
    },
  )
  .post("/admin/people/:id/remove", ...formBody, signedInAs("owner"), validate("param", idParam), async (c) => {
    await removeMember(c, c.req.valid("param").id);
    return c.redirect("/admin/people", 303);
  })
  .post(
    "/admin/people/:id/role",
    ...formBody,
    signedInAs("owner"),
    validate("param", idParam),
    validate("form", z.object({ role: formText() })),
    async (c) => {
      const role = roleOf(c.req.valid("form").role);
      if (!role) throw new AppError("invalid_input", "Choose a role: moderator, editor or owner.");
      await changeRole(c, c.req.valid("param").id, role);
      return c.redirect("/admin/people", 303);
    },
  )
  .get("/admin/me", signedIn, validQuery(z.object({ language: z.optional(z.string()) })), (c) =>
    mePage(c, undefined, c.req.valid("query").language === undefined ? undefined : languageSaved(c)),
  )
  // The operator chooses too (from the dashboard): only on this browser, having no person to keep it with.
  .post("/admin/me/language", ...formBody, signedIn, validate("form", z.object({ language: formText() })), async (c) => {
    const asked = c.req.valid("form").language.trim();
    if (asked !== "" && !isLanguage(asked))
      throw new AppError("invalid_input", `language must be one of ${LANGUAGES.join(", ")}, or empty.`);
    const language = asked === "" ? null : asked;
    const self = (await signedInPerson(c))?.self;
    await self?.setLanguage(language);
    rememberLanguage(c, language);
    return c.redirect(self ? "/admin/me?language" : "/admin?language", 303);
  })
  // The editor's Rich text / Markdown switch (public/editor/modes.js): kept with the person, so every browser they sign in on opens it.
  .post("/admin/me/editor-mode", ...formBody, signedIn, validate("form", z.object({ mode: z.enum(EDITOR_MODES) })), async (c) => {
    const { mode } = c.req.valid("form");
    await (await signedInPerson(c))?.self.setEditorMode(mode);
    rememberEditorMode(c, mode);
    return c.body(null, 204);
  })
  .post("/admin/me/held-mail", ...formBody, signedIn, validate("form", z.object({ mode: z.enum(HELD_MAIL) })), async (c) => {
    const { personId } = await me(c);
    await accounts(c.env, c.var.store.name).setHeldMail(c.var.store.name, personId, c.req.valid("form").mode);
    return mePage(c, undefined, wordsFor(c).me.heldMailSaved);
  })
  .post("/admin/me/tokens", ...formBody, signedIn, validate("form", z.object({ name: formText(), role: formText() })), async (c) => {
    const form = c.req.valid("form");
    const role = roleOf(form.role);
    const name = form.name.trim();
    if (!role || !name || name.length > 80) throw new AppError("invalid_input", "Give the token a name (up to 80 characters) and a role.");
    const { personId } = await me(c);
    const { token } = await accounts(c.env, c.var.store.name).createToken(c.var.store.name, personId, name, role, new Date().toISOString());
    await audit(c, "token.created", `${name} (${role})`);
    return mePage(c, token);
  })
  .post("/admin/me/tokens/:id/revoke", ...formBody, signedIn, validate("param", idParam), async (c) => {
    const { personId } = await me(c);
    const { id } = c.req.valid("param");
    await accounts(c.env, c.var.store.name).revokeToken(c.var.store.name, personId, id);
    await audit(c, "token.revoked", `#${id}`);
    return c.redirect("/admin/me", 303);
  });
