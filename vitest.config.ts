import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { PEER_PRIVATE_JWK, peerOutbound } from "./test/setup/peer";

/** The federation worker, bundled by test/setup/federation-build.ts, run beside the reader as in `wrangler dev -c … -c federation/…`. */
const federationWorker = {
  name: "edge-blog-federation",
  modules: true,
  modulesRoot: resolve(".tmp/federation-build"),
  scriptPath: resolve(".tmp/federation-build/index.js"),
  compatibilityDate: "2026-04-20",
  compatibilityFlags: ["nodejs_compat"],
  kvNamespaces: { POSTS: "00000000000000000000000000000000", FEDIFY_KV: "11111111111111111111111111111111" },
  // The reader's buckets (the same names, so the same storage): exports are built here.
  r2Buckets: { ARCHIVES: "edge-blog-archives", MEDIA: "edge-blog-media" },
  durableObjects: { FEDERATION_STATE: { className: "FederationState", useSQLite: true } },
  queueProducers: { FEDERATION_QUEUE: { queueName: "edge-blog-federation" } },
  queueConsumers: { "edge-blog-federation": { maxBatchTimeout: 1, maxRetries: 5, deadLetterQueue: "edge-blog-federation-dlq" } },
  serviceBindings: { READER: { name: "vitest-pool-workers-runner-worker", entrypoint: "Internal" } },
  // Peers on the fediverse are test/setup/peer.ts: nothing leaves the machine.
  outboundService: peerOutbound,
};

/**
 * The browser tests in Vitest's order (longest first), but the HTML quality test last: it is the
 * most CPU-bound (Nu checker, axe in three themes), and by then `npm test`'s workerd and Node tests
 * running beside have finished.
 */
class QualityLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification) => f.moduleId.endsWith("quality.test.ts");
    return [...sorted.filter((f) => !last(f)), ...sorted.filter(last)];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: QualityLast },
    projects: [
      {
        // The worker in workerd with real local KV (Miniflare), one isolated storage per file.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // The page cache is off here (tests publish and read back at once); test/cache.test.ts turns it on per request.
            // Statistics leave after each view (STATS_FLUSH_SECONDS 0), so a test reads them within a queue batch.
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123",
                PAGE_CACHE_SECONDS: "0",
                STATS_FLUSH_SECONDS: "0",
                PEER_PRIVATE_JWK,
              },
              // What the peer received, for the tests that sign as it (test/peer.ts).
              serviceBindings: { PEER: peerOutbound },
              workers: [federationWorker],
            },
          }),
        ],
        // `npm test` runs these beside the browser tests: a test may take longer than alone.
        test: {
          name: "worker",
          include: ["test/*.test.{ts,tsx}"],
          testTimeout: 30_000,
          globalSetup: ["test/setup/federation-build.ts", "test/setup/cloudflare-api.ts"],
        },
      },
      {
        // Node-side code: the publish script's parsing, validation and planning.
        // Beside the browser tests too (`npm test`): 30 s a test, as the workerd tier.
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          setupFiles: ["test/setup/english.ts"],
        },
      },
      {
        // The real `npm run publish` and `wrangler dev`, driven over HTTP.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One file at a time: two at once (each its own wrangler dev) took 522 s instead of ~900 s
          // here, but 500 concurrent comment POSTs through wrangler dev then failed once in three runs.
          fileParallelism: false,
          // The rich editor's bundle as editor/ is now (npm install built it; a change since must show).
          globalSetup: ["test/setup/editor-build.ts"],
        },
      },
    ],
  },
});
