/** The blog's single Subscribers object. */
export function subscribers(env: Env) {
  return env.SUBSCRIBERS.get(env.SUBSCRIBERS.idFromName("subscribers"));
}
