import { pluralTranslator, RESOURCE_LOCALE, type SupportedLanguage } from "../../common/src/localisation";

/**
 * Every resource key the board shows at run time. Both resx files must define each of them (a unit test reads the
 * resx files and checks), so a missing translation fails the build instead of showing a key to a user.
 */
export const STRING_KEYS = [
  "Board_Loading",
  "Board_Empty",
  "Board_LoadFailed",
  "Board_NoValue",
  "Board_Progress",
  "Board_ProgressUnknown",
  "Board_Label",
  "Lane_Expand",
  "Lane_Collapse",
  "Lane_Count_one",
  "Lane_Count_other",
  "Lane_Sum",
  "Lane_Weighted",
  "Lane_Empty",
  "Totals_WholeView",
  "Totals_Loaded",
  "Totals_LoadedAggregateLimit",
  "Totals_LoadedUnavailable",
  "Card_Overdue",
  "Card_Probability",
  "Card_Open",
  "Card_Saving",
  "Move_MenuLabel",
  "Move_Shortcuts",
  "Move_Announce_Moved",
  "Move_Announce_Saved",
  "Move_Announce_Retrying_one",
  "Move_Announce_Retrying_other",
  "Move_Conflict",
  "Move_Failed",
  "Move_Refused_NotOpen",
  "Move_Refused_Deleted",
  "Move_Refused_Disabled",
  "Move_Refused_TurnedOff",
  "Move_Refused_NoPrivilege",
  "Move_Refused_Dialog",
  "Move_Refused_Saving",
  "Move_Refused_SameLane",
  "Move_Dismiss",
  "Filter_Search",
  "Filter_Mine",
  "Filter_Close",
  "Filter_CloseAny",
  "Filter_CloseOverdue",
  "Filter_CloseMonth",
  "Filter_CloseQuarter",
  "Filter_AmountMin",
  "Filter_AmountMax",
  "Filter_ProbabilityMin",
  "Filter_ProbabilityMax",
  "Filter_Clear",
  "Sort_Label",
  "Sort_View",
  "Sort_Amount",
  "Sort_CloseDate",
  "Sort_Probability",
  "Totals_Filtered",
  "Lane_Switcher",
  "Teams_Menu",
  "Teams_Chat",
  "Teams_Share",
  "Teams_DealRoom",
  "Teams_DealRoomApproval",
  "Teams_Approval_None",
  "Teams_Approval_Pending",
  "Teams_Approval_Approved",
  "Teams_Approval_Rejected",
  "Teams_Approval_TimedOut",
  "Teams_Loading",
  "Teams_ChatBadAddress",
  "Boundary_Card",
  "Boundary_Lane",
  "Boundary_Menu",
  "DataverseError_Concurrency",
  "DataverseError_Throttled",
  "DataverseError_NotFound",
  "DataverseError_Forbidden",
  "DataverseError_Invalid",
  "DataverseError_AggregateLimit",
  "DataverseError_Server",
  "DataverseError_Network",
  "DataverseError_Unknown",
  "Process_NoProcessLane",
  "Process_Unavailable",
  "Process_Refused_NoInstance",
  "Process_Refused_Finished",
  "Process_Refused_NotAStage",
  "Process_Refused_MissingSteps",
  "Process_StageSteps",
  "Process_StageJoin",
  "Process_StepJoin",
  "Lane_CountAtLeast",
  "Lane_Counting",
  "Lane_CountUnavailable",
  "Lane_CardLoading",
  "Lane_LoadFailed",
  "Lane_Retry",
  "Totals_WholeViewFiltered",
  "Board_Capped",
] as const;

export type StringKey = (typeof STRING_KEYS)[number];

/**
 * Strings that take a count: each is a set of resx entries `<key>_one` and `<key>_other` (the CLDR plural categories
 * English uses; Chinese uses only `other`, and its `_one` repeats it so both files define the same keys). Translating
 * one takes the count as the first argument; it fills `{0}`, formatted for the resource language.
 */
export const PLURAL_KEYS = ["Lane_Count", "Move_Announce_Retrying"] as const;

export type PluralKey = (typeof PLURAL_KEYS)[number];

const PLURAL = new Set<string>(PLURAL_KEYS);

/**
 * Looks up a resource and fills its `{0}`, `{1}`… placeholders; what components receive instead of the PCF context.
 * For a plural key the first argument is the count, which picks the form (`t("Lane_Count", 1)` → "1 record").
 */
export type Translate = (key: StringKey | PluralKey, ...args: readonly (string | number)[]) => string;

export function fillPlaceholders(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

/** `language` is the resource language (the user's, or English): it picks plural forms and formats their counts. */
export function translator(getString: (key: string) => string, language: SupportedLanguage = 1033): Translate {
  const fill = (key: string, ...args: (string | number)[]) => fillPlaceholders(getString(key), args);
  const plural = pluralTranslator(fill, language, RESOURCE_LOCALE[language]);
  return (key, ...args) => {
    const [count, ...rest] = args;
    return PLURAL.has(key) && typeof count === "number" ? plural(key, count, ...rest) : fill(key, ...args);
  };
}
