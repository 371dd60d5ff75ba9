/**
 * The control's link to Microsoft Teams. The page signals (host.ts) decide whether Teams is worth asking at all, so a
 * form in a plain browser never loads the SDK and never waits; when they say Teams, the SDK handshake
 * (`app.initialize`, then `app.getContext`) gets a short timeout and, if it answers, becomes the authority for theme
 * and locale, delivers theme changes and opens deep links in the client (`app.openLink`). If it does not answer in
 * time the control carries on with what the page signals said, and links open in a new window.
 */
import { isTeamsDeepLink } from "./deepLinks";
import { detectTeamsHost, type HostSignals, type OpenPlan, parseTeamsTheme, planOpen, type TeamsHostInfo, type TeamsTheme } from "./host";

/** The part of `@microsoft/teams-js` the controls use; teamsJs.ts wraps the real library, tests use an in-memory host. */
export interface TeamsSdk {
  initialize(): Promise<void>;
  getContext(): Promise<TeamsSdkContext>;
  /** Returns the function that stops this handler. */
  registerOnThemeChangeHandler(handler: (theme: string) => void): () => void;
  openLink(url: string): Promise<void>;
}

/** The fields of `app.Context` we read: `context.app.theme` and `context.app.locale`. */
export interface TeamsSdkContext {
  readonly theme?: string;
  readonly locale?: string;
}

export interface TeamsConnection {
  readonly host: TeamsHostInfo;
  /** Whether the SDK handshake succeeded, so `openLink` goes through the Teams client. */
  readonly sdkReady: boolean;
  /** Calls `listener` on every theme change the host reports; returns the unsubscribe function. */
  onThemeChange(listener: (theme: TeamsTheme) => void): () => void;
  /** Opens a link through Teams; false when there is no SDK or Teams refused, so the caller opens it itself. */
  openLink(url: string): Promise<boolean>;
}

export interface ConnectOptions {
  readonly signals: HostSignals;
  /** Loads the SDK; only called when the page looks like Teams. */
  readonly loadSdk: () => Promise<TeamsSdk>;
  /** How long the handshake and the context request may take together. */
  readonly timeoutMs?: number;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/** Long enough for a Teams client that is answering, short enough that a form in a silent frame does not look stuck. */
export const TEAMS_HANDSHAKE_TIMEOUT_MS = 1500;

const LOCALE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

class TimeoutError extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number, options: ConnectOptions): Promise<T> {
  const set = options.setTimer ?? ((callback: () => void, delay: number) => setTimeout(callback, delay));
  const clear = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let handle: unknown;
  const timeout = new Promise<never>((_resolve, reject) => {
    handle = set(() => reject(new TimeoutError(`Teams did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clear(handle);
  }
}

function withoutSdk(host: TeamsHostInfo): TeamsConnection {
  return { host, sdkReady: false, onThemeChange: () => () => undefined, openLink: () => Promise.resolve(false) };
}

export async function connectTeams(options: ConnectOptions): Promise<TeamsConnection> {
  const guess = detectTeamsHost(options.signals);
  if (!guess.inTeams) return withoutSdk(guess);
  const timeoutMs = options.timeoutMs ?? TEAMS_HANDSHAKE_TIMEOUT_MS;
  let sdk: TeamsSdk;
  let context: TeamsSdkContext;
  try {
    const handshake = async () => {
      const loaded = await options.loadSdk();
      await loaded.initialize();
      return { loaded, context: await loaded.getContext() };
    };
    ({ loaded: sdk, context } = await withTimeout(handshake(), timeoutMs, options));
  } catch {
    // No answer or a refusal: the page signals still say Teams, but only the SDK can open links in the client.
    return withoutSdk(guess);
  }

  const listeners = new Set<(theme: TeamsTheme) => void>();
  const locale = context.locale !== undefined && LOCALE.test(context.locale) ? context.locale : guess.locale;
  let host: TeamsHostInfo = { inTeams: true, evidence: "sdk", theme: parseTeamsTheme(context.theme ?? guess.theme), ...(locale !== undefined && { locale }) };
  // Registered while someone listens, so a destroyed control leaves no handler on the page's shared SDK.
  let stop: (() => void) | undefined;
  const follow = () =>
    sdk.registerOnThemeChangeHandler((theme) => {
      host = { ...host, theme: parseTeamsTheme(theme) };
      for (const listener of [...listeners]) listener(host.theme);
    });
  return {
    get host() {
      return host;
    },
    sdkReady: true,
    onThemeChange: (listener) => {
      listeners.add(listener);
      stop ??= follow();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stop?.();
          stop = undefined;
        }
      };
    },
    openLink: async (url) => {
      try {
        await sdk.openLink(url);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * The one rule both controls follow to open a link: a Teams deep link, inside Teams, goes through the Teams client
 * (`app.openLink`) when the SDK answered; anything else, and anything the client refused, opens through the platform
 * (PCF `navigation.openUrl`, a new window). Takes a URL (planned here) or a plan the UI already made with `planOpen`.
 */
export async function openLink(teams: Pick<TeamsConnection, "host" | "sdkReady" | "openLink">, link: string | OpenPlan, platformOpen: (url: string) => void): Promise<void> {
  const plan = typeof link === "string" ? planOpen(link, teams.host, isTeamsDeepLink) : link;
  if (plan.via === "teamsClient" && teams.sdkReady && (await teams.openLink(plan.url))) return;
  platformOpen(plan.url);
}
