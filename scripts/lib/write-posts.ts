import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import YAML from "yaml";
import type { PostSource } from "../../src/content/types";

/** A post as the text of its `posts/<slug>.md` file. */
export function postFile(p: PostSource): string {
  const fm: Record<string, unknown> = { title: p.title, date: p.date };
  if (p.updated) fm.updated = p.updated;
  if (p.author) fm.author = p.author;
  if (p.tags.length) fm.tags = p.tags;
  if (p.summary) fm.summary = p.summary;
  if (p.draft) fm.draft = true;
  return `---\n${YAML.stringify(fm)}---\n${p.markdown}`;
}

/** Writes posts as `<slug>.md` files with YAML front matter, as an editor would. */
export async function writePostFiles(dir: string, posts: PostSource[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < posts.length; i += 500) {
    await Promise.all(posts.slice(i, i + 500).map((p) => writeFile(join(dir, `${p.slug}.md`), postFile(p))));
  }
}
