// The federation worker's bindings (federation/wrangler.toml), added to the reader's generated Env.
declare namespace Cloudflare {
  interface Env {
    FEDIFY_KV: KVNamespace;
    FEDERATION_QUEUE: Queue;
    FEDERATION_STATE: DurableObjectNamespace<import("./state").FederationState>;
    READER: Service<import("../../src/internal").Internal>;
    /** Owners' exports (shared with the reader, which lists and serves them) and the blogs' images. */
    ARCHIVES: R2Bucket;
    MEDIA: R2Bucket;
  }
}
