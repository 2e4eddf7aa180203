import { BLOG_NAME, MAIN_BLOG, type RegistrySnapshot } from "../../src/content/blogs";
import { platformKeys } from "../../src/content/keys";
import { kvGet, type KvTarget } from "./wrangler";

/** The value of `--blog`, checked: a blog name, or main when absent. */
export function blogOption(value: string | undefined): string {
  const blog = value ?? MAIN_BLOG;
  if (!BLOG_NAME.test(blog)) throw new Error(`--blog "${blog}" is not a blog name (3 to 30 lowercase letters, digits and single hyphens)`);
  return blog;
}

/** Why `blog` cannot be published into or pulled from (it was never created, or is being deleted), or null. */
export async function blogMissing(target: KvTarget, blog: string): Promise<string | null> {
  const text = await kvGet(target, platformKeys.registry);
  let registry: RegistrySnapshot | null = null;
  try {
    registry = text ? (JSON.parse(text) as RegistrySnapshot) : null;
  } catch {
    return `the registry of blogs (${platformKeys.registry}) is damaged`;
  }
  const found = registry?.blogs?.find((b) => b.name === blog);
  if (!found) return `there is no blog "${blog}"; create it first with POST /api/admin/blogs (see docs/operators.md)`;
  if (found.state !== "active") return `the blog "${blog}" is being deleted`;
  return null;
}
