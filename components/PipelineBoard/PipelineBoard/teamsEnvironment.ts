import { type HostSignals, hostSignalsOf, type TeamsSdk } from "@tcc/common";
import { loadTeamsJs } from "../../common/src/teams/teamsJs";

/** Where the board finds Teams: the page it runs in and the SDK. Tests pass an in-memory Teams host. */
export interface TeamsEnvironment {
  readonly signals: () => HostSignals;
  readonly loadSdk: () => Promise<TeamsSdk>;
}

export const BROWSER_TEAMS: TeamsEnvironment = { signals: () => hostSignalsOf(window), loadSdk: loadTeamsJs };
