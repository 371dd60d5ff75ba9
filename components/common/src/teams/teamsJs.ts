/**
 * The real `TeamsSdk`: `@microsoft/teams-js`'s `app` namespace. Loaded with a dynamic import so that webpack keeps it
 * in the one bundle (PCF allows one chunk) but runs its module code only when connection.ts decides the page is in
 * Teams: the library fetches its list of valid origins from a CDN when its module runs, which a form in a plain
 * browser should never do. The dynamic import targets teamsApp.ts, whose static `export { app }` lets webpack drop
 * the library's other namespaces (a dynamic import of the package itself bundles all of it: 271 KiB instead of
 * the card's 49 KiB). Not exported from the teams barrel, so a control that does not import it does not bundle it.
 */
import type { TeamsSdk } from "./connection";

export async function loadTeamsJs(): Promise<TeamsSdk> {
  const { app } = await import("./teamsApp");
  return {
    initialize: () => app.initialize(),
    getContext: async () => {
      const context = await app.getContext();
      return { theme: context.app.theme, locale: context.app.locale };
    },
    registerOnThemeChangeHandler: (handler) => app.registerOnThemeChangeHandler(handler),
    openLink: (url) => app.openLink(url),
  };
}
