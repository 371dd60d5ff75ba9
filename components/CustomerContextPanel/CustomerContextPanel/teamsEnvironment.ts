import { type HostSignals, hostSignalsOf } from "../../common/src";

/**
 * Where the control looks for Teams: the page it runs in (its frame ancestry, referrer and query). No Teams SDK is
 * loaded; docs/reference/teams-host.md says why. Tests pass fixed signals.
 */
export interface TeamsEnvironment {
  readonly signals: () => HostSignals;
}

export const BROWSER_TEAMS: TeamsEnvironment = { signals: () => hostSignalsOf(window) };
