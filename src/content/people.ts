/** The roles a person can have on a blog, weakest first: moderators handle comments, editors also posts, owners everything. */
export const ROLES = ["moderator", "editor", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` includes what `need` allows. */
export function allows(role: Role, need: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(need);
}

/** What a personal API token starts with (never mistaken for the operator's ADMIN_TOKEN). */
export const TOKEN_PREFIX = "ebt_";
