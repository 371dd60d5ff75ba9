/**
 * Business process flows for the in-memory Dataverse: the Opportunity Sales Process as Dynamics 365 Sales ships it
 * (stages Qualify, Develop, Propose, Close with stage categories 0–3), with a few steps of our sample's own marked
 * required, and the `workflow.clientdata` JSON the process designer would save for it.
 */
import type { Labels, LanguageId } from "./metadata";

export interface SampleStep {
  readonly column: string;
  readonly label: Labels;
  readonly required: boolean;
}

export interface SampleStage {
  readonly id: string;
  readonly category: number;
  readonly name: Labels;
  readonly steps: readonly SampleStep[];
}

export interface SampleProcess {
  readonly workflowId: string;
  readonly uniqueName: string;
  readonly table: string;
  readonly name: Labels;
  readonly stages: readonly SampleStage[];
}

const l = (en: string, zh: string): Labels => ({ 1033: en, 2052: zh });
const step = (column: string, en: string, zh: string, required = false): SampleStep => ({ column, label: l(en, zh), required });

/** Fixed ids, so tests and the workbench can name a stage without querying for it. */
export const OPPORTUNITY_SALES_PROCESS: SampleProcess = {
  workflowId: "3e8ebee6-a2bc-4451-9c5f-b146b085413a",
  uniqueName: "opportunitysalesprocess",
  table: "opportunity",
  name: l("Opportunity Sales Process", "商机销售流程"),
  stages: [
    {
      id: "6b9ce83d-6ba8-4bde-9c3b-05a4ef0e2e11",
      category: 0,
      name: l("Qualify", "资格审查"),
      steps: [step("parentaccountid", "Account", "客户", true), step("parentcontactid", "Contact", "联系人"), step("purchasetimeframe", "Purchase Timeframe", "购买时间范围", true)],
    },
    {
      id: "650e06b4-789b-46c1-822b-0da76bedb1ed",
      category: 1,
      name: l("Develop", "开发"),
      steps: [step("customerneed", "Customer Need", "客户需求", true), step("proposedsolution", "Proposed Solution", "建议的解决方案")],
    },
    {
      id: "d3ca8878-8d7b-47b9-852d-fcd838790cfd",
      category: 2,
      name: l("Propose", "建议"),
      steps: [step("estimatedvalue", "Est. Revenue", "预计收入", true)],
    },
    {
      id: "bb7e830a-61bd-441b-b1fd-6bb104ffa027",
      category: 3,
      name: l("Close", "成交"),
      steps: [step("finaldecisiondate", "Final Decision Date", "最终决策日期", true)],
    },
  ],
};

const LANGUAGES: readonly LanguageId[] = [1033, 2052];

const labels = (text: Labels, labelId: string) => ({ list: LANGUAGES.map((languageCode) => ({ labelId, languageCode, description: text[languageCode] })) });

/**
 * The designer's JSON for `process`: one EntityStep per stage (each stage sits on the flow's table), holding the
 * StageStep with its id, the next stage's id and category, which holds one StepStep per step (with
 * `isProcessRequired`) around the ControlStep that names the column. Labels are given in both languages.
 */
export function processClientData(process: SampleProcess): string {
  let counter = 0;
  const name = (kind: string) => `${kind}${counter++}`;
  const stageSteps = process.stages.map((stage, index) => ({
    __class: "EntityStep:#Microsoft.Crm.Workflow.ObjectModel",
    id: name("EntityStep"),
    description: process.table,
    stepLabels: { list: [] },
    steps: {
      list: [
        {
          __class: "StageStep:#Microsoft.Crm.Workflow.ObjectModel",
          id: name("StageStep"),
          description: stage.name[1033],
          stepLabels: labels(stage.name, stage.id),
          stageId: stage.id,
          nextStageId: process.stages[index + 1]?.id ?? null,
          stageCategory: String(stage.category),
          steps: {
            list: stage.steps.map((s, stepIndex) => ({
              __class: "StepStep:#Microsoft.Crm.Workflow.ObjectModel",
              id: name("StepStep"),
              description: s.label[1033],
              stepLabels: labels(s.label, `${stage.id.slice(0, 24)}${String(stepIndex).padStart(12, "0")}`),
              isProcessRequired: s.required,
              steps: {
                list: [
                  {
                    __class: "ControlStep:#Microsoft.Crm.Workflow.ObjectModel",
                    id: name("ControlStep"),
                    controlId: s.column,
                    dataFieldName: s.column,
                    controlDisplayName: s.label[1033],
                    isSystemControl: false,
                    stepLabels: { list: [] },
                    steps: { list: [] },
                  },
                ],
              },
            })),
          },
        },
      ],
    },
  }));
  return JSON.stringify({
    __class: "WorkflowStep:#Microsoft.Crm.Workflow.ObjectModel",
    id: name("WorkflowStep"),
    primaryEntityName: process.table,
    category: 4,
    title: process.name[1033],
    stepLabels: { list: [] },
    steps: { list: stageSteps },
  });
}
