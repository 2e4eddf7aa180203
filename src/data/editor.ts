/** The site's single SiteEditor, which serialises edits made through the API and the browser. */
export function siteEditor(env: Env) {
  return env.EDITOR.get(env.EDITOR.idFromName("site"));
}
