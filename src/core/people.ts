import { toBase64url } from "./base64url";
import { objectName } from "./blogs";

/** The roles a person can have on a blog, weakest first: moderators handle comments, editors also posts, owners everything. */
export const ROLES = ["moderator", "editor", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` includes what `need` allows. */
export function allows(role: Role, need: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(need);
}

/** What a personal API token starts with (never mistaken for the operator's ADMIN_TOKEN). */
export const TOKEN_PREFIX = "ebt_";

/** SHA-256 of a secret or an address, base64url: what is kept of a token, and what names a person's object. */
export async function hashOf(text: string): Promise<string> {
  return toBase64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** The object name of an address's person: a hash, so no object's name is anyone's address. */
export const personKey = async (email: string) => `person:${await hashOf(email)}`;

/** Where a blog's people are: its own object (the main blog's is "people"; "accounts" was every blog's in earlier versions). */
export const accountsName = (blog: string) => objectName(blog, "people");

/** Sign-in links asked per network address (IP) per hour, on all blogs together. */
export const SIGNIN_PER_IP_HOUR = 30;

/** "+ Create my blog" requests per network address (IP) per hour, and per email address per day. */
export const SIGNUP_LIMITS = { perIpHour: 5, perEmailDay: 3 } as const;

export type SignupMode = "open" | "invite" | "closed";

/** The single Accounts object of earlier versions, which held every blog's people; each blog takes its part once. */
export const LEGACY_ACCOUNTS = "accounts";

/** What a member is mailed of comments waiting for moderation (platform/held-mail.ts). */
export const HELD_MAIL = ["each", "digest", "none"] as const;
export type HeldMail = (typeof HELD_MAIL)[number];
