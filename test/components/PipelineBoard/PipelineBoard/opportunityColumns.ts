import type { CardColumns } from "../../../../components/PipelineBoard/PipelineBoard/model/card";

/** The columns the board reads on an opportunity view with the manifest's default inputs. */
export const OPPORTUNITY_COLUMNS: CardColumns = {
  name: "name",
  lane: "salesstage",
  amount: "estimatedvalue",
  amountBase: "estimatedvalue_base",
  probability: "closeprobability",
  closeDate: "estimatedclosedate",
  owner: "ownerid",
  account: ["parentaccountid", "customerid"],
  version: "versionnumber",
};
