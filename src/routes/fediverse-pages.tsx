import { wordsFor } from "../http/admin-language";
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { fediverseHandle } from "../core/federation";
import { federation } from "../data/federation";
import { notFound } from "../errors";
import { formBody } from "../http/limits";
import { audit } from "../http/audit";
import { FollowersPage } from "../views/pages/followers";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { formText, validate, validQuery } from "./validation";

/** The owners' view of the blog's fediverse followers, with Remove. */
export const fediversePages = new Hono<AdminEnv>()
  .use("/admin/followers", noStore)
  .get("/admin/followers", signedInAs("owner"), validQuery(z.object({ removed: z.optional(z.string()) })), async (c) => {
    const { blog } = c.var.settings;
    const client = federation(c.env);
    const followers = client ? await client.followers(blog.name).catch(() => null) : [];
    const w = wordsFor(c).followers;
    const notice = c.req.valid("query").removed ? w.removed : undefined;
    return c.render(
      <FollowersPage
        handle={fediverseHandle(blog.name, blog.baseUrl)}
        followers={followers}
        csrf={c.get("csrf")}
        timeZone={blog.timeZone}
        notice={notice}
      />,
      { ...PAGE, title: w.title },
    );
  })
  .post("/admin/followers", ...formBody, signedInAs("owner"), validate("form", z.object({ actor: formText() })), async (c) => {
    const client = federation(c.env);
    if (!client || !(await client.removeFollower(c.var.settings.blog.name, c.req.valid("form").actor))) {
      throw notFound("That account does not follow this blog.");
    }
    await audit(c, "follower.removed", c.req.valid("form").actor);
    return c.redirect("/admin/followers?removed=1", 303);
  });
