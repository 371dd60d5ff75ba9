import { laneMetadataOf } from "../../../../../components/PipelineBoard/PipelineBoard/model/metadata";

const xrmLike = (attributes: Record<string, unknown>) => ({
  Attributes: { get: (name: string) => attributes[name] },
});

describe("laneMetadataOf", () => {
  it("reads a choice column's options in their order with labels and colours", () => {
    const metadata = xrmLike({
      salesstage: {
        attributeDescriptor: {
          AttributeType: 11,
          OptionSet: [
            { Value: 0, Label: "Qualify", Color: "#8764b8" },
            { Value: 1, Label: "Develop", Color: "" },
          ],
        },
      },
    });
    expect(laneMetadataOf(metadata, "salesstage")).toEqual({
      kind: "choice",
      options: [{ value: 0, label: "Qualify", color: "#8764b8" }, { value: 1, label: "Develop" }],
    });
  });

  it("knows status reasons and their states, so moves that close a record go through its dialog", () => {
    const metadata = { Attributes: { _collection: { statuscode: { AttributeType: 13, OptionSet: [{ Value: 3, Label: "Won", State: 1 }] } } } };
    expect(laneMetadataOf(metadata, "statuscode")).toEqual({ kind: "status", options: [{ value: 3, label: "Won", state: 1 }] });
  });

  it("gives no options, not an exception, for metadata it cannot read", () => {
    expect(laneMetadataOf(undefined, "salesstage")).toEqual({ kind: "choice", options: [] });
    expect(laneMetadataOf({ Attributes: { get: () => ({ OptionSet: "nonsense" }) } }, "statecode")).toEqual({ kind: "state", options: [] });
  });
});
