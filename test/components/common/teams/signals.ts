/** What a page sees of its host, for the controls' Teams detection: framed by Teams on the web, or a plain browser tab. */
import type { HostSignals } from "../../../../components/common/src";

export const TEAMS_WEB_SIGNALS: HostSignals = { framed: true, ancestorOrigins: ["https://teams.microsoft.com"], userAgent: "Mozilla/5.0 Chrome/126.0" };
export const BROWSER_SIGNALS: HostSignals = { framed: false, referrer: "", search: "", userAgent: "Mozilla/5.0 Chrome/126.0" };

/**
 * The app's modern theme as PCF passes it. Only the fields the controls read are set: the published type also requires
 * the whole Fluent 9 token set and brand ramp, which a model-driven app fills and no control here reads.
 */
export function appDesign(isDarkTheme: boolean | undefined, background?: string): ComponentFramework.FluentDesignState {
  return {
    ...(isDarkTheme !== undefined && { isDarkTheme }),
    tokenTheme: { ...(background !== undefined && { colorNeutralBackground1: background }) },
  } as unknown as ComponentFramework.FluentDesignState;
}
