import type { PostSource } from "../../src/core/types";

/** A small deterministic PRNG (mulberry32), so every run builds the same corpus. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = "ka lo mi ra te su no vi da pe ri to ma lu se fa ni go be ho ze ju wa ci ko".split(" ");

/** `count` generated posts: Zipf-distributed words from a 20,000-word vocabulary, ~300 words each, two years of dates. */
export function syntheticPosts(count: number, seed = 42): PostSource[] {
  const random = rng(seed);
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => {
    let w = "";
    let n = i + 1;
    do {
      w += SYLLABLES[n % SYLLABLES.length];
      n = Math.floor(n / SYLLABLES.length);
    } while (n > 0);
    return w;
  });
  const zipf = () => vocabulary[Math.min(vocabulary.length - 1, Math.floor(random() ** 2.2 * vocabulary.length))]!;
  const tags = ["world", "cities", "climate", "energy", "technology", "science", "culture", "economy", "politics", "travel"];
  const start = Date.UTC(2024, 0, 1);
  const span = 2 * 365 * 86_400_000;
  return Array.from({ length: count }, (_, i) => {
    const paragraphs = Array.from({ length: 5 }, () => `${Array.from({ length: 60 }, zipf).join(" ")}.`);
    return {
      slug: `generated-post-${i}`,
      title: `${zipf()} ${zipf()} ${zipf()} number ${i}`,
      date: new Date(start + Math.floor((i / count) * span)).toISOString(),
      updated: null,
      author: null,
      tags: [tags[i % tags.length]!, tags[(i * 7) % tags.length]!],
      summary: null,
      draft: false,
      markdown: `${paragraphs[0]}\n\n## Section ${i}\n\n${paragraphs.slice(1).join("\n\n")}`,
    };
  });
}
