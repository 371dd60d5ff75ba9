/**
 * An in-memory Teams host behind the `TeamsSdk` interface: answers the handshake (or stays silent, or refuses), hands
 * out a context, records the links it is asked to open, and sends theme changes on demand.
 */
import type { HostSignals, TeamsSdk, TeamsSdkContext } from "../../../../components/common/src";

export const TEAMS_WEB_SIGNALS: HostSignals = { framed: true, ancestorOrigins: ["https://teams.microsoft.com"], userAgent: "Mozilla/5.0 Chrome/126.0" };
export const BROWSER_SIGNALS: HostSignals = { framed: false, referrer: "", search: "", userAgent: "Mozilla/5.0 Chrome/126.0" };

export interface InMemoryTeamsHostOptions {
  readonly context?: TeamsSdkContext;
  /** `answer` (default), `silent` (initialize never settles) or `refuse` (initialize rejects). */
  readonly handshake?: "answer" | "silent" | "refuse";
  /** Whether `openLink` succeeds. */
  readonly opensLinks?: boolean;
}

export class InMemoryTeamsHost {
  readonly openedLinks: string[] = [];
  loads = 0;
  initializeCalls = 0;
  private themeHandler: ((theme: string) => void) | undefined;

  constructor(private readonly options: InMemoryTeamsHostOptions = {}) {}

  readonly loadSdk = (): Promise<TeamsSdk> => {
    this.loads++;
    const sdk: TeamsSdk = {
      initialize: () => {
        this.initializeCalls++;
        if (this.options.handshake === "silent") return new Promise<void>(() => undefined);
        if (this.options.handshake === "refuse") return Promise.reject(new Error("Initialization Failed. No Parent window found."));
        return Promise.resolve();
      },
      getContext: () => Promise.resolve(this.options.context ?? { theme: "default", locale: "en-us" }),
      // Teams keeps delivering theme changes to the page; the function returned only detaches this handler, as the
      // real SDK wrapper (teamsJs.ts) does.
      registerOnThemeChangeHandler: (handler) => {
        let attached = true;
        this.themeHandler = (theme) => {
          if (attached) handler(theme);
        };
        return () => {
          attached = false;
        };
      },
      openLink: (url) => {
        this.openedLinks.push(url);
        return this.options.opensLinks === false ? Promise.reject(new Error("Link could not be opened")) : Promise.resolve();
      },
    };
    return Promise.resolve(sdk);
  };

  /** What Teams does when the user switches theme: `{ func: 'themeChange', args: [theme] }`. */
  changeTheme(theme: string): void {
    if (!this.themeHandler) throw new Error("The app registered no theme change handler");
    this.themeHandler(theme);
  }
}
