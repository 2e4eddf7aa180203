import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // The worker in workerd with real local KV (Miniflare), one isolated storage per file.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // The page cache is off here (tests publish and read back at once); test/cache.test.ts turns it on per request.
            miniflare: { bindings: { ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123", PAGE_CACHE_SECONDS: "0" } },
          }),
        ],
        test: { name: "worker", include: ["test/*.test.{ts,tsx}"] },
      },
      {
        // Node-side code: the publish script's parsing, validation and planning.
        test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node" },
      },
      {
        // The real `npm run publish` and `wrangler dev`, driven over HTTP.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
