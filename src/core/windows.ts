/**
 * A sliding-window limit: given the times (oldest first) of the requests counted in the last
 * `windowMs`, the whole seconds to wait until one more is allowed (at least 1), or null when it is
 * allowed now. Every limit of the platform (comments, sign-in, sign-up) answers its Retry-After with it.
 */
export function secondsToWait(times: { at: number }[], windowMs: number, max: number, now: number): number | null {
  if (times.length < max) return null;
  return Math.max(1, Math.ceil((times[times.length - max]!.at + windowMs - now) / 1000));
}
