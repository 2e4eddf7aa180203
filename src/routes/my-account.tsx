import { Hono } from "hono/tiny";
import type { Context } from "hono";
import { deleteCookie } from "hono/cookie";
import * as z from "zod/mini";
import { say } from "../core/i18n";
import type { Role } from "../core/people";
import { SESSION_COOKIE } from "../core/vocabulary";
import { accounts } from "../data/objects";
import { endAllSessions } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import { formBody } from "../http/limits";
import { DeleteAccountPage } from "../views/pages/people";
import { type AdminEnv, noStore, PAGE, signedIn, signedInPerson } from "./admin-session";
import { formText, validate } from "./validation";

interface Membership {
  blog: string;
  role: Role;
  since: string | null;
  lastOwner: boolean;
}

/** The signed-in person (the operator has no account), their address and every blog they are a member of. */
async function me(c: Context<AdminEnv>) {
  const signed = await signedInPerson(c);
  if (!signed) return null;
  const { personId, email, self } = signed;
  const here = c.var.store.name;
  // Every blog's members at once: a person may belong to many blogs.
  const blogs = [...new Set([here, ...(await self.blogs())])];
  const lists = await Promise.all(
    blogs.map((blog) =>
      accounts(c.env, blog)
        .members(blog)
        .catch(() => []),
    ),
  );
  const memberships: Membership[] = [];
  blogs.forEach((blog, i) => {
    const members = lists[i]!;
    const mine = members.find((m) => m.personId === personId);
    if (!mine) return;
    const owners = members.filter((m) => m.role === "owner").length;
    memberships.push({ blog, role: mine.role, since: mine.since ?? null, lastOwner: mine.role === "owner" && owners === 1 });
  });
  return { personId, email, self, memberships };
}

function deletePage(c: Context<AdminEnv>, mine: NonNullable<Awaited<ReturnType<typeof me>>>, error?: string) {
  return c.render(
    <DeleteAccountPage
      csrf={c.get("csrf")}
      email={mine.email}
      blogs={mine.memberships.map((m) => m.blog)}
      lastOwnerOf={mine.memberships.filter((m) => m.lastOwner).map((m) => m.blog)}
      error={error}
    />,
    { ...PAGE, title: wordsFor(c).me.deleteTitle },
  );
}

/** A page of a heading and a sentence, in the person's language. */
const said = (c: Context<AdminEnv>, text: string) =>
  c.render(
    <section class="admin">
      <h1 class="page-title">{wordsFor(c).me.deleteTitle}</h1>
      <p>{text}</p>
    </section>,
    { ...PAGE, title: wordsFor(c).me.deleteTitle },
  );

/**
 * A person's own data: what the platform keeps about them, as JSON, and deleting their account
 * (every membership and token, their sessions everywhere, their person object). A blog they alone
 * own must be handed over or deleted first, so that no blog is left without an owner.
 */
export const myAccountPages = new Hono<AdminEnv>()
  .use("/admin/me/delete", noStore)
  .use("/admin/me/data.json", noStore)
  .get("/admin/me/data.json", signedIn, async (c) => {
    const mine = await me(c);
    if (!mine) return c.json({ error: { code: "not_found", message: wordsFor(c).me.operatorNone } }, 404);
    const data = await mine.self.data();
    const blogs = await Promise.all(
      mine.memberships.map(async (m) => ({
        blog: m.blog,
        role: m.role,
        since: m.since,
        // Names and dates only: a token's secret is never kept, so it is not here either.
        tokens: (await accounts(c.env, m.blog).tokens(m.blog, mine.personId)).map((t) => ({
          name: t.name,
          role: t.role,
          createdAt: t.createdAt,
          lastUsedAt: t.lastUsedAt,
        })),
      })),
    );
    c.header("Content-Disposition", 'attachment; filename="my-data.json"');
    return c.json({
      person: {
        email: mine.email,
        createdAt: data?.createdAt ?? null,
        language: data?.language ?? null,
        editorMode: data?.editorMode ?? null,
      },
      blogs,
    });
  })
  .get("/admin/me/delete", signedIn, async (c) => {
    const mine = await me(c);
    if (!mine) return said(c, wordsFor(c).me.operatorNone);
    return deletePage(c, mine);
  })
  .post("/admin/me/delete", ...formBody, signedIn, validate("form", z.object({ confirm: formText() })), async (c) => {
    const mine = await me(c);
    const words = wordsFor(c).me;
    if (!mine) return said(c, words.operatorNone);
    if (mine.memberships.some((m) => m.lastOwner)) {
      c.status(409);
      return deletePage(c, mine);
    }
    if (c.req.valid("form").confirm.trim().toLowerCase() !== mine.email.toLowerCase()) {
      c.status(400);
      return deletePage(c, mine, say(words.wrongEmail, { email: mine.email }));
    }
    // Sessions first (they are found through the blogs the person belongs to), then each membership and its tokens.
    await endAllSessions(c);
    for (const m of mine.memberships) await accounts(c.env, m.blog).removeMember(m.blog, mine.personId);
    await mine.self.forget();
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return said(c, words.deleted);
  });
