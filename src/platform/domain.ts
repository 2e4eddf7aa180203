import { DurableObject } from "cloudflare:workers";

/**
 * One custom domain (an object per host name): which blog holds it. It alone decides, so two
 * blogs never hold one domain, without any object shared by all domains.
 */
export class Domain extends DurableObject<Env> {
  /** Takes the host for `blog`; false when another blog holds it. */
  async claim(blog: string): Promise<boolean> {
    const holder = await this.ctx.storage.get<string>("blog");
    if (holder && holder !== blog) return false;
    if (!holder) await this.ctx.storage.put("blog", blog);
    return true;
  }

  /** Lets the host go, if `blog` holds it. */
  async release(blog: string): Promise<void> {
    if ((await this.ctx.storage.get<string>("blog")) === blog) await this.ctx.storage.deleteAll();
  }

  async holder(): Promise<string | null> {
    return (await this.ctx.storage.get<string>("blog")) ?? null;
  }
}
