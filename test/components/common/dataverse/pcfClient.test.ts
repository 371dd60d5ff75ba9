import { HttpDataverseClient, PcfDataverseClient, etagOf } from "../../../../components/common/src/dataverse";
import { FakePcfWebApi } from "../../../../tools/dataverse/pcfWebApi";
import { DataverseStore } from "../../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../../tools/dataverse/webApiHandler";

function setup() {
  const store = new DataverseStore({ seed: 5 });
  const api = new InMemoryWebApi({ store, sleep: () => Promise.resolve() });
  const client = new PcfDataverseClient(new FakePcfWebApi(api), new HttpDataverseClient({ fetch: api.fetch }));
  return { store, api, client };
}

describe("PcfDataverseClient over a PCF webAPI", () => {
  it("creates and retrieves through webAPI", async () => {
    const { client } = setup();
    const id = await client.create("account", { name: "Contoso" });
    expect((await client.retrieve("account", id, { select: ["name"] })).name).toBe("Contoso");
  });

  it("follows a next link by passing its query to retrieveMultipleRecords", async () => {
    const { client } = setup();
    for (let i = 0; i < 3; i++) await client.create("account", { name: `A${i}` });
    const first = await client.retrieveMultiple("account", { select: ["name"], orderBy: ["name"] }, 2);
    const second = await client.retrieveNextPage("account", first.nextLink ?? "", 2);
    expect([...first.rows, ...second.rows].map((r) => r.name)).toEqual(["A0", "A1", "A2"]);
  });

  it("sends a concurrency-checked update over the Web API so a stale ETag fails", async () => {
    const { store, client } = setup();
    const id = await client.create("account", { name: "Before" });
    const etag = etagOf(await client.retrieve("account", id));
    store.update("account", id, { name: "Theirs" });
    await expect(client.update("account", id, { name: "Mine" }, { etag })).rejects.toMatchObject({ kind: "concurrency" });
  });

  it("maps PCF's rejection of a missing row to kind notFound", async () => {
    const { client } = setup();
    await expect(client.retrieve("account", "00000000-0000-4000-8000-000000000001")).rejects.toMatchObject({ kind: "notFound", code: "0x80040217" });
  });

  it("maps a network failure during a PCF call to kind network", async () => {
    const { api, client } = setup();
    api.faults.add({ kind: "network" });
    await expect(client.delete("account", "00000000-0000-4000-8000-000000000001")).rejects.toMatchObject({ kind: "network" });
  });
});
