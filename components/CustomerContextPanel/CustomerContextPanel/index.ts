import * as React from "react";
import { detectTeamsHost, hostSignalsOf, HttpDataverseClient, languageOf, type OpenPlan, PcfDataverseClient, type TeamsHostInfo } from "../../common/src";
import { CardContainer, type CardContainerProps } from "./CardContainer";
import type { RelatedTable } from "./model/query";
import { IInputs, IOutputs } from "./generated/ManifestTypes";

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
  private host: TeamsHostInfo;
  private client: PcfDataverseClient;

  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
    this.host = detectTeamsHost(hostSignalsOf(window));
    this.client = new PcfDataverseClient(context.webAPI, new HttpDataverseClient({ fetch: (url, init) => window.fetch(url, init) }));
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const info = (context.mode as ComponentFramework.Mode & { contextInfo?: FormContextInfo }).contextInfo;
    const language = languageOf(context.userSettings.languageId);
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
      language,
      locale: this.host.locale ?? (language === 2052 ? "zh-CN" : "en-US"),
      origin: window.location.origin,
      inTeams: this.host.inTeams,
      t: (key, ...args) => args.reduce<string>((text, arg, i) => text.split(`{${i}}`).join(String(arg)), context.resources.getString(key)),
      open: (plan: OpenPlan) => context.navigation.openUrl(plan.url),
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
    // React unmounts the card; the container ignores answers that arrive after that.
  }
}
