import { DurableObject } from "cloudflare:workers";
import { buildSite, renderPost } from "../content/build";
import { hashValue, parseManifest, planChanges, type Manifest } from "../content/plan";
import type { PostRecord, PostSource, SourceRecord, SourcesChunk } from "../content/types";
import { parseEditLog } from "../content/edits";
import { type Keys, keysFor, SOURCE_CHUNKS } from "../content/keys";

type Rendered = Omit<PostRecord, "older" | "newer">;

/**
 * The one writer of the site's KV keys for edits made through the API or the browser. Each
 * save or delete runs alone (blockConcurrencyWhile), starting from the sources KV holds, so two
 * editors saving at once never lose each other's change; it then writes what changed in the same
 * order as `npm run publish`: posts, listings, deletions, then the manifest and a new version.
 */
export class SiteEditor extends DurableObject<Env> {
  private rendered = new Map<string, { hash: string; record: Rendered }>();

  private render = (source: PostSource): Rendered => {
    const hash = hashValue(JSON.stringify(source));
    const known = this.rendered.get(source.slug);
    if (known && known.hash === hash) return known.record;
    const record = renderPost(source);
    this.rendered.set(source.slug, { hash, record });
    return record;
  };

  private async sources(keys: Keys): Promise<Map<string, SourceRecord>> {
    const names = Array.from({ length: SOURCE_CHUNKS }, (_, i) => keys.sources(i));
    const values = await this.env.POSTS.get(names, "text");
    const out = new Map<string, SourceRecord>();
    for (const name of names) {
      const text = values.get(name);
      if (!text) continue;
      try {
        const chunk = JSON.parse(text) as SourcesChunk;
        for (const [slug, source] of Object.entries(chunk.posts ?? {})) out.set(slug, source);
      } catch {
        console.error(`${name} is damaged; its posts cannot be edited until the next publish`);
      }
    }
    return out;
  }

  /**
   * Writes what changed since `manifest`, in publish order. Without a manifest (KV filled some
   * other way), the keys to delete are those the old state produced and the new one does not.
   */
  private async write(
    keys: Keys,
    entries: Map<string, string>,
    manifest: Manifest | null,
    before: Map<string, string> | null,
  ): Promise<void> {
    const kv = this.env.POSTS;
    const plan = planChanges(keys, entries, manifest);
    if (before) {
      const known = new Set(plan.deletions);
      for (const key of before.keys()) if (!entries.has(key) && !known.has(key)) plan.deletions.push(key);
    }
    const inBatches = async <T>(items: T[], run: (item: T) => Promise<unknown>) => {
      for (let i = 0; i < items.length; i += 50) await Promise.all(items.slice(i, i + 50).map(run));
    };
    await inBatches(plan.posts, ([k, v]) => kv.put(k, v));
    await inBatches(plan.listings, ([k, v]) => kv.put(k, v));
    await inBatches(plan.deletions, (k) => kv.delete(k));
    await kv.put(keys.manifest, JSON.stringify(plan.manifest));
    await kv.put(keys.version, String(Date.now()));
  }

  private apply<T>(
    keys: Keys,
    slug: string,
    change: (sources: Map<string, SourceRecord>) => { result: T; changed: boolean },
  ): Promise<{ result: T; entries: Map<string, string> }> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const [sources, manifest] = await Promise.all([this.sources(keys), this.env.POSTS.get(keys.manifest).then(parseManifest)]);
      const now = new Date();
      // The old state is built only when no manifest says what KV holds.
      const before = manifest ? null : buildSite(keys, [...sources.values()], now, this.render);
      const { result, changed } = change(sources);
      const entries = buildSite(keys, [...sources.values()], now, this.render);
      await this.write(keys, entries, manifest, before);
      if (changed) await this.markEdited(keys, slug, !sources.has(slug));
      return { result, entries };
    });
  }

  /** Records a browser/API change for `npm run publish` (which refuses to overwrite it) and `npm run pull`. */
  private async markEdited(keys: Keys, slug: string, deleted: boolean) {
    const edited = parseEditLog(await this.env.POSTS.get(keys.edited));
    edited[slug] = { at: new Date().toISOString(), deleted };
    await this.env.POSTS.put(keys.edited, JSON.stringify(edited));
  }

  /** Creates or replaces a post; answers whether it was new and the stored record. */
  async save(blog: string, source: PostSource): Promise<{ created: boolean; record: PostRecord }> {
    const keys = keysFor(blog);
    const { result: created, entries } = await this.apply(keys, source.slug, (sources) => {
      const created = !sources.has(source.slug);
      sources.set(source.slug, { ...source, origin: "browser", editedAt: new Date().toISOString() });
      return { result: created, changed: true };
    });
    return { created, record: JSON.parse(entries.get(keys.post(source.slug))!) as PostRecord };
  }

  /** Deletes a post and everything that pointed to it; false when there was no such post. */
  async remove(blog: string, slug: string): Promise<boolean> {
    const { result } = await this.apply(keysFor(blog), slug, (sources) => {
      const removed = sources.delete(slug);
      return { result: removed, changed: removed };
    });
    return result;
  }

  /** Every post, newest first, for the dashboard. */
  async list(
    blog: string,
  ): Promise<{ slug: string; title: string; date: string; draft: boolean; origin: string; editedAt: string | null }[]> {
    return [...(await this.sources(keysFor(blog))).values()]
      .map(({ slug, title, date, draft, origin, editedAt }) => ({ slug, title, date, draft, origin, editedAt }))
      .sort((a, b) => (a.date < b.date ? 1 : -1));
  }

  /** A post's source for the editor. */
  async source(blog: string, slug: string): Promise<SourceRecord | null> {
    return (await this.sources(keysFor(blog))).get(slug) ?? null;
  }

  /** Forgets everything (the blog is being deleted; its KV keys are removed by the Blogs object). */
  async purge(): Promise<void> {
    this.rendered.clear();
    await this.ctx.storage.deleteAll();
  }
}
