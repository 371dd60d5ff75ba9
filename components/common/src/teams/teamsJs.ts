/**
 * The real `TeamsSdk`: `@microsoft/teams-js`'s `app` namespace. Loaded with a dynamic import so that webpack keeps it
 * in the one bundle (PCF allows one chunk) but runs its module code only when connection.ts decides the page is in
 * Teams: the library fetches its list of valid origins from a CDN when its module runs, which a form in a plain
 * browser should never do. The dynamic import targets teamsApp.ts, whose static `export { app }` lets webpack drop
 * the library's other namespaces (a dynamic import of the package itself bundles all of it: 271 KiB instead of
 * the card's 49 KiB). Not exported from the teams barrel, so a control that does not import it does not bundle it.
 *
 * One teams-js per page: teams-js warns against two initialised copies in one window, and a form or dashboard can
 * hold both controls (each bundles its own copy). The first control that asks puts the loaded SDK on the window
 * (`window.__tccTeamsJs`, versioned); every later control in that window uses that copy, so only one copy's module
 * code runs and `app.initialize` is sent once. teams-js keeps one theme handler per copy, so the shared SDK
 * registers one and hands each change to every control's handler.
 */
import type { TeamsSdk } from "./connection";

/** The window property that holds the page's one SDK; the version guards against a later, different shape. */
export const SHARED_TEAMS_JS = "__tccTeamsJs";
const SHARED_VERSION = 1;

interface SharedTeamsJs {
  readonly version: number;
  readonly sdk: Promise<TeamsSdk>;
}

async function loadOwnCopy(): Promise<TeamsSdk> {
  const { app } = await import("./teamsApp");
  let initialized: Promise<void> | undefined;
  const themeHandlers = new Set<(theme: string) => void>();
  // teams-js offers no way to remove its handler: ours stays and hands changes to whoever is registered now.
  let registered = false;
  return {
    initialize: () => (initialized ??= app.initialize()),
    getContext: async () => {
      const context = await app.getContext();
      return { theme: context.app.theme, locale: context.app.locale };
    },
    registerOnThemeChangeHandler: (handler) => {
      if (!registered) {
        app.registerOnThemeChangeHandler((theme) => [...themeHandlers].forEach((h) => h(theme)));
        registered = true;
      }
      themeHandlers.add(handler);
      return () => themeHandlers.delete(handler);
    },
    openLink: (url) => app.openLink(url),
  };
}

/** The page's one teams-js: the copy another control already loaded into this window, or this bundle's own. */
export function loadTeamsJs(win: Window = window): Promise<TeamsSdk> {
  const holder = win as unknown as Record<string, unknown>;
  const existing = holder[SHARED_TEAMS_JS] as Partial<SharedTeamsJs> | undefined;
  if (existing?.version === SHARED_VERSION && existing.sdk) return existing.sdk;
  const shared: SharedTeamsJs = { version: SHARED_VERSION, sdk: loadOwnCopy() };
  Object.defineProperty(win, SHARED_TEAMS_JS, { value: shared, configurable: true, enumerable: false, writable: false });
  // A copy that failed to load is not kept: the next control in this window tries again.
  shared.sdk.catch(() => {
    if (holder[SHARED_TEAMS_JS] === shared) Reflect.deleteProperty(win, SHARED_TEAMS_JS);
  });
  return shared.sdk;
}
