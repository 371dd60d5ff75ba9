import { FaultPlan } from "../../../tools/dataverse/faults";
import { DataverseStore } from "../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../tools/dataverse/webApiHandler";
import { createAccounts, emptyDataverse, errorOf, get, bodyOf, send } from "./helpers";

describe("fault injection", () => {
  it("answers 429 with Retry-After and the service-protection error", async () => {
    const { api } = emptyDataverse();
    api.faults.add({ kind: "throttle", retryAfterSeconds: 7 });
    const response = await get(api, "accounts");
    expect(response.status).toBe(429);
    expect(response.headers["Retry-After"]).toBe("7");
    expect(errorOf(response).code).toBe("0x80072322");
  });

  it("answers 500 with Dataverse's unexpected-error body", async () => {
    const { api } = emptyDataverse();
    api.faults.add({ kind: "serverError" });
    const response = await get(api, "accounts");
    expect([response.status, errorOf(response).code]).toEqual([500, "0x80040216"]);
  });

  it("rejects like fetch on a network failure", async () => {
    const { api } = emptyDataverse();
    api.faults.add({ kind: "network" });
    await expect(get(api, "accounts")).rejects.toBeInstanceOf(TypeError);
  });

  it("applies a rule only to its table and operation", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1);
    api.faults.add({ kind: "serverError", table: "account", operation: "update" });
    expect((await get(api, `accounts(${id})`)).status).toBe(200);
    expect((await get(api, "contacts")).status).toBe(200);
    expect((await send(api, "PATCH", `accounts(${id})`, { name: "X" })).status).toBe(500);
  });

  it("stops a rule after it has fired the given number of times", async () => {
    const { api } = emptyDataverse();
    api.faults.add({ kind: "throttle", times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(api, "accounts")).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it("waits the injected latency before answering", async () => {
    const waits: number[] = [];
    const api = new InMemoryWebApi({ store: new DataverseStore(), sleep: (ms) => { waits.push(ms); return Promise.resolve(); } });
    api.faults.add({ kind: "latency", latencyMs: 250 });
    await get(api, "accounts");
    expect(waits).toEqual([250]);
  });

  it("makes the same random choices for the same seed", () => {
    const outcomes = (seed: number) => {
      const plan = new FaultPlan(seed).add({ kind: "serverError", probability: 0.5 });
      return Array.from({ length: 20 }, () => plan.decide("account", "retrieve").failure ?? "ok");
    };
    expect(outcomes(3)).toEqual(outcomes(3));
    expect(outcomes(3)).not.toEqual(outcomes(4));
  });

  it("turns a conflict into 412 for a writer whose ETag was current when it read", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1, () => ({ name: "Before" }));
    const etag = bodyOf(await get(api, `accounts(${id})`))["@odata.etag"] as string;
    api.faults.add({ kind: "conflict", table: "account", operation: "update", times: 1 });
    const response = await send(api, "PATCH", `accounts(${id})`, { name: "Mine" }, { "If-Match": etag });
    expect(response.status).toBe(412);
    expect(store.get("account", id)?.name).toBe("Before");
  });
});
