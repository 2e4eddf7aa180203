import { listingName } from "../core/keys";
import { DurableObject } from "cloudflare:workers";
import { headStart, isListed, pagesEntry, renderPost, toSummary } from "../core/build";
import { highlighted, remoteHighlight } from "../core/markdown";
import { CHUNK, type Keys, keysFor, kvMetadata, type ListingRef, SOURCE_CHUNKS, sourceChunk } from "../core/keys";
import { DOCS_PER_CHUNK, docTerms, minutes, type SearchDelta, type SearchStale } from "../core/search";
import { tagSlug } from "../core/tags";
import { htmlText } from "../core/text";
import type { ListingBlock, ListingHead, PostRecord, PostSource, SourceRecord, SourcesChunk } from "../core/types";
import { EditorSearch } from "./editor-search";
import { REVISIONS_KEPT, TRASH_MS } from "../core/vocabulary";
import { failure, type Failure } from "../errors";
import { mediaUsedBy } from "../core/media";
import { EDITOR_MIGRATIONS, EditorHistory, EditorStore, type Revision, type StoredPost, type TrashedPost } from "./editor-store";
import { migrate, readMeta, writeMeta } from "./sqlite";

type PostWithoutNeighbours = Omit<PostRecord, "older" | "newer">;

/** What one save or delete cost, for the benchmark. */
export interface EditStats {
  kvReads: number;
  kvWrites: number;
  /** Whether this call first had to take in the blog as `npm run publish` left it. */
  imported: boolean;
}

/**
 * Counts the KV operations of one edit and remembers what it wrote (for `npm run publish`).
 * Writes are started at once and awaited together by `flush()`, in the order of a publish:
 * posts, then what points to them, then the new content version.
 */
class KvOps {
  reads = 0;
  writes = 0;
  readonly written = new Set<string>();
  private pending: Promise<void>[] = [];
  constructor(readonly kv: KVNamespace) {}
  async get(key: string): Promise<string | null> {
    this.reads++;
    return this.kv.get(key);
  }
  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    if (!keys.length) return new Map();
    this.reads++;
    return this.kv.get(keys, "text");
  }
  put(key: string, value: string): void {
    this.writes++;
    this.written.add(key);
    const metadata = kvMetadata(key, value);
    this.pending.push(this.kv.put(key, value, metadata && { metadata }));
  }
  delete(key: string): void {
    this.writes++;
    this.written.add(key);
    this.pending.push(this.kv.delete(key));
  }
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    await Promise.all(batch);
  }
}

const json = <T>(text: string | null | undefined): T | null => {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

/** The tag slugs and names of a post (first spelling of each slug). */
function tagPairs(tags: string[]): [string, string][] {
  const out = new Map<string, string>();
  for (const name of tags) if (!out.has(tagSlug(name))) out.set(tagSlug(name), name);
  return [...out];
}

/** Whether saving `next` over `before` changes what the post says (not only when it was saved). */
function changed(before: SourceRecord, next: PostSource): boolean {
  const fields = (p: PostSource) => [
    p.title,
    p.date,
    p.updated,
    p.author,
    p.tags,
    p.summary,
    p.cover ?? null,
    p.draft,
    p.markdown,
    p.type,
    p.comments,
  ];
  return JSON.stringify(fields(before)) !== JSON.stringify(fields(next));
}

/**
 * A blog's editor: the one writer of its KV keys for edits made through the API or the browser.
 * It owns the blog's posts in SQLite (the source of truth for edits), so a save reads a few rows
 * and writes to KV — the read model — only what the change touches: the post, the neighbours
 * whose links change, the heads of its listings (older listing blocks only when positions below
 * them shift), the tag index, the search delta and the post's sources key. After an
 * `npm run publish` (a new version in KV that this object did not write) it first takes the blog
 * in again from KV. Calls run one at a time (blockConcurrencyWhile).
 */
export class SiteEditor extends DurableObject<Env> {
  private readonly store: EditorStore;
  private readonly search: EditorSearch;
  private readonly history: EditorHistory;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new EditorStore(ctx.storage.sql);
    this.history = new EditorHistory(ctx.storage.sql);
    this.search = new EditorSearch(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, EDITOR_MIGRATIONS));
  }

  private meta(key: string): string | null {
    return readMeta(this.ctx.storage.sql, key);
  }

  private setMeta(key: string, value: string): void {
    writeMeta(this.ctx.storage.sql, key, value);
  }

  /** Takes in the blog from KV unless this object wrote its current version itself. */
  private async catchUp(blog: string, keys: Keys, io: KvOps): Promise<boolean> {
    const version = (await io.get(keys.version)) ?? "";
    if (this.meta("blog") === blog && this.meta("version") === version) return false;
    this.ctx.storage.transactionSync(() => this.store.clear());
    for (let n = 0; n < SOURCE_CHUNKS; n += 8) {
      const names = Array.from({ length: Math.min(8, SOURCE_CHUNKS - n) }, (_, i) => keys.sources(n + i));
      const values = await io.getMany(names);
      this.ctx.storage.transactionSync(() => {
        for (const name of names) {
          for (const source of Object.values(json<SourcesChunk>(values.get(name))?.posts ?? {})) {
            // Sources written before the publish script kept what rendering gave are rendered once here.
            const derived = source.derived ?? renderPost(source);
            const summary = toSummary({
              ...source,
              cover: source.cover ?? undefined,
              summary: derived.summary,
              readingTime: derived.readingTime,
            });
            this.store.put(source, summary, null, tagPairs(source.tags));
          }
        }
      });
    }
    let next = 0;
    for (let c = 0; ; c++) {
      const docs = json<{ slugs: (string | null)[] }>(await io.get(keys.searchDocs(c)));
      if (!docs) break;
      this.ctx.storage.transactionSync(() => {
        docs.slugs.forEach((slug, i) => {
          if (slug) this.store.setDocId(slug, c * DOCS_PER_CHUNK + i);
        });
      });
      next = c * DOCS_PER_CHUNK + docs.slugs.length;
    }
    this.search.load(json<SearchDelta>(await io.get(keys.searchDelta)));
    this.search.loadStale(json<SearchStale>(await io.get(keys.searchStale)));
    for (const [slug, entry] of Object.entries(json<Record<string, { at: string; deleted: boolean }>>(await io.get(keys.edited)) ?? {})) {
      this.store.markEdited(slug, entry.at, entry.deleted);
    }
    this.store.touch(json<string[]>(await io.get(keys.touched)) ?? []);
    this.setMeta("blog", blog);
    this.setMeta("version", version);
    this.setMeta("next_doc", String(Math.max(next, this.store.nextDocId())));
    return true;
  }

  /**
   * Rewrites a listing's head, and the blocks below it that changed: every block from position
   * `moved` on (a post came, went or changed places), the block of position `changed` (a post
   * changed in place), and blocks that just left the head.
   */
  private async writeListing(
    keys: Keys,
    listing: ListingRef,
    change: { moved: number | null; changed: number | null },
    io: KvOps,
    now: string,
  ): Promise<void> {
    const name = listingName(listing);
    const total = this.store.publicCount(listing, now);
    const start = headStart(total);
    let last = this.store.lastStart(name);
    if (last === null) {
      // First write since this object took the blog in: the head in KV says which blocks exist.
      const head = json<ListingHead>(await io.get(keys.listHead(listing)));
      last = head?.v === 2 ? head.start : 0;
    }
    for (let b = 0; b * CHUNK < start; b++) {
      const shifted = change.moved !== null && b >= Math.floor(change.moved / CHUNK);
      const edited = change.changed !== null && b === Math.floor(change.changed / CHUNK);
      if (!shifted && !edited && b * CHUNK < last) continue;
      const block: ListingBlock = { v: 2, items: this.store.window(listing, b * CHUNK, CHUNK, now) };
      io.put(keys.listBlock(listing, b), JSON.stringify(block));
    }
    const head: ListingHead = {
      v: 2,
      name: listing.kind === "home" ? "" : this.store.tagName(listing.slug),
      total,
      start,
      recent: this.store.window(listing, start, total - start, now),
      scheduled: this.store.scheduled(listing, now),
    };
    io.put(keys.listHead(listing), JSON.stringify(head));
    this.store.setStart(name, start);
  }

  /** A post's record with its links as the store has them now. */
  private record(rendered: PostWithoutNeighbours, now: string): PostRecord {
    if (!isListed(rendered)) return { ...rendered, older: null, newer: [] };
    return {
      ...rendered,
      older: this.store.older(rendered.slug, rendered.date),
      newer: this.store.newer(rendered.slug, rendered.date, now),
    };
  }

  private async write(
    blog: string,
    slug: string,
    next: PostSource | null,
  ): Promise<{ before: StoredPost | null; record: PostRecord | null; stats: EditStats }> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const keys = keysFor(blog);
      const io = new KvOps(this.env.POSTS);
      const imported = await this.catchUp(blog, keys, io);
      const nowDate = new Date();
      const now = nowDate.toISOString();
      const before = this.store.post(slug);
      if (!before && !next) return { before, record: null, stats: { kvReads: io.reads, kvWrites: io.writes, imported } };

      // Listings of the old and new version, and where the post stood in each.
      const listings = new Map<string, ListingRef>([["home", { kind: "home" }]]);
      for (const tag of [...this.store.tagsOf(slug), ...(next ? tagPairs(next.tags).map(([t]) => t) : [])]) {
        listings.set(`tag:${tag}`, { kind: "tag", slug: tag });
      }
      const positions = new Map([...listings].map(([name, ref]) => [name, this.store.position(ref, slug, now)]));
      const linked = new Set(before && isListed(before.source) ? this.store.linkedTo(slug, before.source.date, now) : []);

      // Code is highlighted by the federation worker (highlight.js stays out of this bundle).
      const rendered = next ? await highlighted((highlight) => renderPost(next, { highlight }), remoteHighlight(this.env.HIGHLIGHT)) : null;
      // One read for the old record and the records that link to it now.
      const known = await io.getMany(before ? [keys.post(slug), ...[...linked].map((s) => keys.post(s))] : []);
      const oldRecord = json<PostRecord>(known.get(keys.post(slug)));
      this.ctx.storage.transactionSync(() => {
        if (next && rendered) {
          const existing = before?.docId ?? null;
          const docId = existing ?? Number(this.meta("next_doc") ?? this.store.nextDocId());
          if (existing === null) this.setMeta("next_doc", String(docId + 1));
          const source: SourceRecord = { ...next, origin: "browser", editedAt: now };
          this.store.put(source, toSummary(rendered), docId, tagPairs(next.tags));
        } else this.store.remove(slug);
        this.store.markEdited(slug, now, !next);
      });

      // The post and every neighbour whose links change.
      if (rendered && next && isListed(next)) for (const s of this.store.linkedTo(slug, next.date, now)) linked.add(s);
      linked.delete(slug);
      const record = rendered ? this.record(rendered, now) : null;
      // Imported comments stay the post's: its thread still takes them in by this mark.
      if (record && oldRecord?.imported) record.imported = oldRecord.imported;
      if (record) io.put(keys.post(slug), JSON.stringify(record));
      else io.delete(keys.post(slug));
      const neighbours = [...linked];
      const unread = neighbours.filter((s) => !known.has(keys.post(s)));
      const stored = new Map([...known, ...(await io.getMany(unread.map((s) => keys.post(s))))]);
      for (const s of neighbours) {
        const current = json<PostRecord>(stored.get(keys.post(s)));
        const row = this.store.post(s);
        if (!current || !row) continue;
        const links = { older: this.store.older(s, row.source.date), newer: this.store.newer(s, row.source.date, now) };
        if (JSON.stringify([current.older, current.newer]) === JSON.stringify([links.older, links.newer])) continue;
        io.put(keys.post(s), JSON.stringify({ ...current, ...links }));
      }
      await io.flush();

      for (const [name, ref] of listings) {
        const after = this.store.position(ref, slug, now);
        const old = positions.get(name) ?? null;
        // In place, only the post's own block changes; otherwise every position from the lower one moves.
        const change =
          old === after
            ? { moved: null, changed: after }
            : { moved: Math.min(old ?? Number.POSITIVE_INFINITY, after ?? Number.POSITIVE_INFINITY), changed: null };
        await this.writeListing(keys, ref, change, io, now);
      }
      io.put(keys.tags, JSON.stringify({ v: 1, tags: this.store.tagRecords(now) }));
      if (next?.type === "page" || before?.source.type === "page") io.put(keys.pages, pagesEntry(this.store.unlisted()));

      await this.updateSearch(keys, slug, before, oldRecord, rendered, io);
      const chunk = sourceChunk(slug);
      const sources: SourcesChunk = { v: 1, posts: Object.fromEntries(this.store.sourcesIn(chunk).map((s) => [s.slug, s])) };
      io.put(keys.sources(chunk), JSON.stringify(sources));
      io.put(keys.edited, JSON.stringify(this.store.editLog()));
      await io.flush();
      const touched = this.store.touch([...io.written]);
      io.put(keys.touched, JSON.stringify(touched));
      const version = `${Date.now()}.editor`;
      io.put(keys.version, version);
      await io.flush();
      this.setMeta("version", version);
      if (this.search.wantsMerge() && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 1000);
      return {
        before,
        record,
        stats: { kvReads: io.reads, kvWrites: io.writes, imported },
      };
    });
  }

  /** Records the change in the search delta, and the document's id → slug key when it is new. */
  private async updateSearch(
    keys: Keys,
    slug: string,
    before: StoredPost | null,
    oldRecord: PostRecord | null,
    rendered: PostWithoutNeighbours | null,
    io: KvOps,
  ) {
    const docId = this.store.post(slug)?.docId ?? before?.docId ?? null;
    if (docId === null) return;
    // The buckets hold postings of the published version unless the delta already replaced them.
    const previous =
      before && isListed(before.source) && oldRecord && !this.search.inDelta(docId)
        ? docTerms({ ...oldRecord, body: htmlText(oldRecord.html) })
        : null;
    this.ctx.storage.transactionSync(() => {
      if (rendered && isListed(rendered)) {
        this.search.put(docId, minutes(rendered.date), docTerms({ ...rendered, body: htmlText(rendered.html) }), previous);
      } else this.search.drop(docId, previous);
    });
    if (!before || before.docId === null || !rendered) {
      const c = Math.floor(docId / DOCS_PER_CHUNK);
      io.put(keys.searchDocs(c), JSON.stringify({ v: 1, slugs: this.store.docSlugs(c * DOCS_PER_CHUNK, DOCS_PER_CHUNK) }));
    }
    io.put(keys.searchDelta, JSON.stringify(this.search.delta(this.store.indexedCount())));
  }

  /** Merges the search delta into the buckets, a slice per run. */
  override async alarm(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(async () => {
      const blog = this.meta("blog");
      if (!blog) return;
      const keys = keysFor(blog);
      if (!this.search.merging()) {
        if (!this.search.wantsMerge()) return;
        this.search.startMerge();
      }
      const { left } = await this.search.mergeStep(this.env.POSTS, keys);
      if (!left) await this.env.POSTS.put(keys.searchDelta, JSON.stringify(this.search.delta(this.store.indexedCount())));
      if (left) await this.ctx.storage.setAlarm(Date.now() + 100);
    });
  }

  /** Creates or replaces a post (keeping the version it replaces); answers whether it was new, the stored record and what it cost. */
  async save(blog: string, source: PostSource): Promise<{ created: boolean; record: PostRecord; stats: EditStats }> {
    const { before, record, stats } = await this.write(blog, source.slug, source);
    if (before && changed(before.source, source)) this.history.keep(before.source, before.source.editedAt ?? record!.date, REVISIONS_KEPT);
    return { created: !before, record: record!, stats };
  }

  /**
   * Saves a draft under a new slug (a draft's slug stays editable until it is published) and
   * forgets the old one, its earlier versions moving along.
   */
  async rename(blog: string, from: string, source: PostSource): Promise<{ record: PostRecord } | Failure> {
    const old = await this.source(blog, from);
    if (!old) return failure("not_found", "There is no such post.");
    if (!old.draft) return failure("invalid_post", "A published post keeps its slug (its address).");
    if (await this.source(blog, source.slug)) return failure("slug_taken", `Another post already has the slug "${source.slug}".`);
    const { record } = await this.write(blog, source.slug, source);
    await this.write(blog, from, null);
    this.history.rename(from, source.slug);
    if (changed(old, source)) this.history.keep({ ...old, slug: source.slug }, old.editedAt ?? old.date, REVISIONS_KEPT);
    return { record: record! };
  }

  /** Moves a post to the trash (restorable for 30 days); false when there was no such post. */
  async remove(blog: string, slug: string): Promise<boolean> {
    const { before } = await this.write(blog, slug, null);
    if (before) this.history.trash(before.source, new Date().toISOString());
    return before !== null;
  }

  /** The posts in the trash, newest deletion first; older than 30 days are forgotten first. */
  async trash(): Promise<TrashedPost[]> {
    this.history.emptyBefore(new Date(Date.now() - TRASH_MS).toISOString());
    return this.history.trashed();
  }

  /** Puts a post back as it was when deleted (published, scheduled or draft). */
  async restore(blog: string, slug: string): Promise<{ record: PostRecord } | Failure> {
    this.history.emptyBefore(new Date(Date.now() - TRASH_MS).toISOString());
    if (!this.history.trashed().some((t) => t.slug === slug)) return failure("not_found", "That post is not in the trash.");
    if (await this.source(blog, slug)) return failure("slug_taken", `Another post now has the slug "${slug}": delete or rename it first.`);
    const source = this.history.untrash(slug)!;
    const { origin: _o, editedAt: _e, derived: _d, ...post } = source;
    const { record } = await this.write(blog, slug, post);
    return { record: record! };
  }

  /** Deletes a post in the trash for good, with its earlier versions. */
  async purgeTrashed(slug: string): Promise<boolean> {
    const gone = this.history.untrash(slug) !== null;
    if (gone) this.history.dropRevisions(slug);
    return gone;
  }

  /** Which posts use each uploaded image (in their Markdown or as their cover), drafts and scheduled posts included. */
  async mediaUse(blog: string): Promise<Record<string, { slug: string; title: string }[]>> {
    return this.ctx.blockConcurrencyWhile(async () => {
      await this.catchUp(blog, keysFor(blog), new KvOps(this.env.POSTS));
      const out: Record<string, { slug: string; title: string }[]> = {};
      for (const source of this.store.sourcesUsingMedia()) {
        for (const name of mediaUsedBy(source)) {
          out[name] = [...(out[name] ?? []), { slug: source.slug, title: source.title }];
        }
      }
      return out;
    });
  }

  /** A post's earlier versions, newest first. */
  async revisions(slug: string): Promise<Revision[]> {
    return this.history.revisions(slug);
  }

  /** Every post, newest first, for the dashboard. */
  async list(
    blog: string,
  ): Promise<{ slug: string; title: string; date: string; draft: boolean; origin: string; editedAt: string | null }[]> {
    return this.ctx.blockConcurrencyWhile(async () => {
      await this.catchUp(blog, keysFor(blog), new KvOps(this.env.POSTS));
      return this.store.all();
    });
  }

  /** A post's source for the editor. */
  async source(blog: string, slug: string): Promise<SourceRecord | null> {
    return this.ctx.blockConcurrencyWhile(async () => {
      await this.catchUp(blog, keysFor(blog), new KvOps(this.env.POSTS));
      return this.store.post(slug)?.source ?? null;
    });
  }

  /** What the editor page shows of a post in one call: its source and its earlier versions. */
  async editing(blog: string, slug: string): Promise<{ source: SourceRecord; revisions: Revision[] } | null> {
    const source = await this.source(blog, slug);
    return source && { source, revisions: this.history.revisions(slug) };
  }

  /** Forgets everything (the blog is being deleted; its KV keys are removed by the Blogs object). */
  async purge(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    migrate(this.ctx.storage, EDITOR_MIGRATIONS);
  }
}
