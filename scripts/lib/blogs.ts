import { BLOG_NAME, type BlogRecord, MAIN_BLOG } from "../../src/core/blogs";
import { platformKeys } from "../../src/core/keys";
import { kvGet, type KvTarget } from "./wrangler";

/** The value of `--blog`, checked: a blog name, or main when absent. */
export function blogOption(value: string | undefined): string {
  const blog = value ?? MAIN_BLOG;
  if (!BLOG_NAME.test(blog)) throw new Error(`--blog "${blog}" is not a blog name (3 to 30 lowercase letters, digits and single hyphens)`);
  return blog;
}

/** Why `blog` cannot be published into or pulled from (it was never created, or is being deleted), or null. */
export async function blogMissing(target: KvTarget, blog: string): Promise<string | null> {
  const key = platformKeys.blog(blog);
  const text = await kvGet(target, key);
  let found: BlogRecord | null = null;
  try {
    found = text ? (JSON.parse(text) as BlogRecord) : null;
  } catch {
    return `the record of blog "${blog}" (${key}) is damaged`;
  }
  if (!found) return `there is no blog "${blog}"; create it first with POST /api/admin/blogs (see docs/operators.md)`;
  if (found.state !== "active") return `the blog "${blog}" is being deleted`;
  return null;
}
