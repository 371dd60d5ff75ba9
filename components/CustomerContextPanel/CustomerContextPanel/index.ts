import * as React from "react";
import { connectTeams, detectTeamsHost, type HostSignals, HttpDataverseClient, languageOf, openLink, type OpenPlan, PcfDataverseClient, type TeamsConnection } from "../../common/src";
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
  /** Until the handshake settles: what the page signals say, with no SDK behind it. */
  private teams: TeamsConnection;
  private stopThemeUpdates: (() => void) | undefined;
  private destroyed = false;

  constructor(private readonly teamsEnvironment: TeamsEnvironment = BROWSER_TEAMS) {}

  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
    // The host registers Fluent's icon font, which lacks the follow-up action's TaskAdd.
    registerControlIcons();
    this.client = new PcfDataverseClient(context.webAPI, new HttpDataverseClient({ fetch: (url, init) => window.fetch(url, init) }));
    const signals = this.teamsEnvironment.signals();
    this.teams = { host: detectTeamsHost(signals), sdkReady: false, onThemeChange: () => () => undefined, openLink: () => Promise.resolve(false) };
    // The card renders at once; Teams' theme and locale arrive with a re-render when (and if) the handshake answers.
    void this.connect(signals, context);
  }

  private async connect(signals: HostSignals, context: ComponentFramework.Context<IInputs>): Promise<void> {
    const connection = await connectTeams({ signals, loadSdk: this.teamsEnvironment.loadSdk });
    if (this.destroyed || !connection.sdkReady) return;
    this.teams = connection;
    this.stopThemeUpdates = connection.onThemeChange(() => context.factory.requestRender());
    context.factory.requestRender();
  }

  /** The link rule both controls share (`openLink`): Teams deep links through the Teams client, the rest a new window. */
  private open(plan: OpenPlan, context: ComponentFramework.Context<IInputs>): Promise<void> {
    return openLink(this.teams, plan, (url) => context.navigation.openUrl(url));
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const info = (context.mode as ComponentFramework.Mode & { contextInfo?: FormContextInfo }).contextInfo;
    const language = languageOf(context.userSettings.languageId);
    const host = this.teams.host;
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
      inTeams: host.inTeams,
      ...(host.inTeams && { teamsTheme: host.theme }),
      t: (key, ...args) => args.reduce<string>((text, arg, i) => text.split(`{${i}}`).join(String(arg)), context.resources.getString(key)),
      open: (plan: OpenPlan) => void this.open(plan, context),
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
    // React unmounts the card; the container ignores Dataverse answers that arrive after that, and a Teams
    // handshake that settles later finds the control destroyed.
    this.destroyed = true;
    this.stopThemeUpdates?.();
  }
}
