import * as React from "react";
import { detectTeamsHost, hostThemeProp, HttpDataverseClient, languageOf, PcfDataverseClient, type TeamsHostInfo } from "../../common/src";
import { BROWSER_TEAMS, type TeamsEnvironment } from "./teamsEnvironment";
import { CardContainer, type CardContainerProps } from "./CardContainer";
import type { RelatedTable } from "./model/query";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { registerControlIcons } from "../../common/src/ui/icons";

/** Not in the published typings, but set by model-driven forms on every control: which record the form shows. */
interface FormContextInfo {
  readonly entityId?: string;
  readonly entityTypeName?: string;
}

const RELATED_TABLES: readonly RelatedTable[] = ["activitypointer", "opportunity", "incident", "contact", "tcc_teamslink", "systemuser"];
/** PCF's PrivilegeType and PrivilegeDepth values: Read = 2, Create = 1; Basic (the user's own records) = 0. */
const READ = 2;
const CREATE = 1;
const BASIC = 0;

export class CustomerContextPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private client: PcfDataverseClient;
  /** Whether the frames above the app are Teams, read once from the page; no Teams SDK is asked (docs/reference/teams-host.md). */
  private teamsHost: TeamsHostInfo;

  constructor(private readonly teamsEnvironment: TeamsEnvironment = BROWSER_TEAMS) {}

  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
    // The host registers Fluent's icon font, which lacks the follow-up action's TaskAdd.
    registerControlIcons();
    this.client = new PcfDataverseClient(context.webAPI, new HttpDataverseClient({ fetch: (url, init) => window.fetch(url, init) }));
    this.teamsHost = detectTeamsHost(this.teamsEnvironment.signals());
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const info = (context.mode as ComponentFramework.Mode & { contextInfo?: FormContextInfo }).contextInfo;
    const language = languageOf(context.userSettings.languageId);
    const host = this.teamsHost;
    const { theme } = hostThemeProp(host, context.fluentDesignLanguage);
    const can = (table: string, privilege: 1 | 2) => context.utils.hasEntityPrivilege(table, privilege, BASIC);
    const props: CardContainerProps = {
      client: this.client,
      table: info?.entityTypeName,
      id: info?.entityId,
      recentActivityCount: context.parameters.recentActivityCount.raw,
      sections: context.parameters.sections.raw,
      colleagues: context.parameters.colleagues.raw,
      layout: context.parameters.layout.raw,
      allocatedWidth: context.mode.allocatedWidth,
      readable: RELATED_TABLES.filter((table) => can(table, READ)),
      canCreateTask: can("task", CREATE),
      formDisabled: context.mode.isControlDisabled,
      currentUserId: context.userSettings.userId,
      // The user's zone in Dynamics 365, per date so daylight saving time is right; not the browser's. (A host without
      // it, which model-driven and canvas apps are not, leaves the card on UTC rather than blank.)
      ...(typeof context.userSettings.getTimeZoneOffsetMinutes === "function" && {
        timeZoneOffsetMinutes: (date: Date) => context.userSettings.getTimeZoneOffsetMinutes(date),
      }),
      language,
      locale: host.locale ?? (language === 2052 ? "zh-CN" : "en-US"),
      origin: window.location.origin,
      ...(theme !== undefined && { teamsTheme: theme }),
      t: (key, ...args) => args.reduce<string>((text, arg, i) => text.split(`{${i}}`).join(String(arg)), context.resources.getString(key)),
      // One rule for every link, Teams deep links included, in both controls: the host opens it.
      open: (url: string) => context.navigation.openUrl(url),
      copy: async (text) => {
        try {
          await window.navigator.clipboard.writeText(text);
          return true;
        } catch {
          return false;
        }
      },
    };
    return React.createElement(CardContainer, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // React unmounts the card; the container ignores Dataverse answers that arrive after that.
  }
}
