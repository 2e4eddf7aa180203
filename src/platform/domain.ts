import { DurableObject } from "cloudflare:workers";
import { legacyHolder } from "./legacy";

/**
 * One custom domain (an object per host name): which blog holds it. It alone decides, so two
 * blogs never hold one domain, without any object shared by all domains.
 */
export class Domain extends DurableObject<Env> {
  /**
   * Takes the host for `blog`; false when another blog holds it (here, or in the registry of
   * earlier versions until the upgrade has moved its blog: the check and the claim let nothing in between).
   */
  async claim(blog: string, host: string): Promise<boolean> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const holder = (await this.ctx.storage.get<string>("blog")) ?? (await legacyHolder(this.env, { domain: host }));
      if (holder && holder !== blog) return false;
      await this.ctx.storage.put("blog", blog);
      return true;
    });
  }

  /** Lets the host go, if `blog` holds it. */
  async release(blog: string): Promise<void> {
    if ((await this.ctx.storage.get<string>("blog")) === blog) await this.ctx.storage.deleteAll();
  }

  async holder(): Promise<string | null> {
    return (await this.ctx.storage.get<string>("blog")) ?? null;
  }
}
