import { HttpDataverseClient } from "@tcc/common";
import { dataverseMoveServices } from "../../../../../components/PipelineBoard/PipelineBoard/model/dataverseMoves";
import { createSampleData } from "../../../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";

const TEXTS = { notOpen: (state: string) => `It is ${state} now.`, deleted: () => "It was deleted." };

function setup() {
  const sample = createSampleData({ opportunities: 10 });
  const api = new InMemoryWebApi({ store: sample.store });
  const client = new HttpDataverseClient({ fetch: api.fetch, baseUrl: api.baseUrl });
  const services = dataverseMoveServices(client, "opportunity", "salesstage", TEXTS, () => Promise.resolve());
  const id = sample.opportunities[0];
  const row = () => sample.store.get("opportunity", id) ?? {};
  return { services, id, row, sample };
}

describe("dataverseMoveServices", () => {
  it("writes only the lane column, with the etag, and reads back lane and new etag", async () => {
    const { services, id, row } = setup();
    const before = row();
    await services.save(id, 2, `W/"${Number(before.versionnumber)}"`, before.salesstage as number);
    expect(row().salesstage).toBe(2);
    expect(row().name).toBe(before.name);
    await expect(services.reload(id)).resolves.toEqual({ laneValue: 2, etag: `W/"${Number(row().versionnumber)}"` });
  });

  it("refuses with a stale etag and changes nothing", async () => {
    const { services, id, row } = setup();
    const before = row();
    await expect(services.save(id, 2, 'W/"1"', before.salesstage as number)).rejects.toMatchObject({ kind: "concurrency" });
    expect(row().salesstage).toBe(before.salesstage);
  });

  it("without a loaded version, refuses when the lane is no longer the one the user saw", async () => {
    const { services, id, row, sample } = setup();
    const seen = row().salesstage as number;
    sample.store.update("opportunity", id, { salesstage: (seen + 1) % 4 });
    await expect(services.save(id, (seen + 2) % 4, undefined, seen)).rejects.toMatchObject({ kind: "concurrency" });
    expect(row().salesstage).toBe((seen + 1) % 4);
  });

  it("without a loaded version, saves when the lane is still the one the user saw", async () => {
    const { services, id, row } = setup();
    const seen = row().salesstage as number;
    await services.save(id, (seen + 1) % 4, undefined, seen);
    expect(row().salesstage).toBe((seen + 1) % 4);
  });

  it.each([
    ["with the version read at load", true],
    ["without a loaded version", false],
  ])("refuses to move a deal someone closed as won meanwhile, %s, saying so and writing nothing", async (_name, withVersion) => {
    const { services, id, row, sample } = setup();
    const before = row();
    const etag = withVersion ? `W/"${Number(before.versionnumber)}"` : undefined;
    sample.store.update("opportunity", id, { statecode: 1, statuscode: 3 });
    await expect(services.save(id, ((before.salesstage as number) + 1) % 4, etag, before.salesstage as number)).rejects.toMatchObject({ kind: "recordGone", reason: "It is Won now." });
    expect(row().salesstage).toBe(before.salesstage);
  });

  it("refuses to move a deal someone deleted meanwhile", async () => {
    const { services, id, row, sample } = setup();
    const before = row();
    sample.store.delete("opportunity", id);
    await expect(services.save(id, 1, `W/"${Number(before.versionnumber)}"`, before.salesstage as number)).rejects.toMatchObject({ kind: "recordGone", reason: "It was deleted." });
    await expect(services.save(id, 1, undefined, before.salesstage as number)).rejects.toMatchObject({ kind: "recordGone", reason: "It was deleted." });
  });
});
