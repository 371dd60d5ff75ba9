import { lanesFor } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import {
  boardMoveRefusal,
  MoveController,
  type MoveEvent,
  moveRefusal,
  type MoveServices,
  versionOfEtag,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/moves";
import { createSampleData } from "../../../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";

const allowed = { controlDisabled: false, allowMove: true, canWrite: true };

describe("move rules", () => {
  const stages = lanesFor([0, 1, 2].map((value) => ({ value, label: `S${value}` })), "none");
  const statuses = lanesFor(
    [
      { value: 1, label: "In Progress", state: 0 },
      { value: 2, label: "On Hold", state: 0 },
      { value: 3, label: "Won", state: 1 },
    ],
    "none",
  );

  it("says why no card can move: disabled control, maker's switch, missing privilege", () => {
    expect(boardMoveRefusal({ ...allowed, controlDisabled: true })).toBe("disabled");
    expect(boardMoveRefusal({ ...allowed, allowMove: false })).toBe("turnedOff");
    expect(boardMoveRefusal({ ...allowed, canWrite: false })).toBe("noPrivilege");
    expect(boardMoveRefusal(allowed)).toBeNull();
  });

  it("allows a choice move and refuses the card's own lane, a lane no longer in the metadata and a card still saving", () => {
    expect(moveRefusal(allowed, "choice", stages[0], stages[2], false)).toBeNull();
    expect(moveRefusal(allowed, "choice", stages[0], stages[0], false)).toBe("sameLane");
    expect(moveRefusal(allowed, "choice", stages[0], { ...stages[1], unknown: true }, false)).toBe("unknownLane");
    expect(moveRefusal(allowed, "choice", stages[0], stages[1], true)).toBe("saving");
  });

  it("writes a status reason within the same state but leaves closing (won, lost) to Dataverse's dialog", () => {
    expect(moveRefusal(allowed, "status", statuses[0], statuses[1], false)).toBeNull();
    expect(moveRefusal(allowed, "status", statuses[0], statuses[2], false)).toBe("dialog");
    expect(moveRefusal(allowed, "status", statuses[0], statuses[3], false)).toBe("dialog");
    expect(moveRefusal(allowed, "state", undefined, statuses[1], false)).toBe("dialog");
  });

  it("reads the row version out of an etag", () => {
    expect(versionOfEtag('W/"1234"')).toBe(1234);
    expect(versionOfEtag("*")).toBeUndefined();
  });
});

function fakeServices(script: (attempt: number) => unknown, truth = { laneValue: 1 as number | null, etag: 'W/"9"' }) {
  const calls: { id: string; laneValue: number | null; etag: string | undefined }[] = [];
  const sleeps: number[] = [];
  const services: MoveServices = {
    save: (id, laneValue, etag) => {
      calls.push({ id, laneValue, etag });
      const failure = script(calls.length);
      return failure === undefined ? Promise.resolve() : Promise.reject(Object.assign(new Error("scripted failure"), failure));
    },
    reload: () => Promise.resolve(truth),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
  return { services, calls, sleeps };
}

const card = { id: "a", laneValue: 0, etag: 'W/"5"' };

describe("MoveController with scripted failures", () => {
  it("shows the move at once, saves with the loaded etag and then shows the server's lane", async () => {
    const { services, calls } = fakeServices(() => undefined, { laneValue: 2, etag: 'W/"6"' });
    const events: MoveEvent[] = [];
    const controller = new MoveController(services, (e) => events.push(e));
    const done = controller.move(card, 2);
    expect(controller.laneOf(card)).toBe(2);
    expect(controller.isSaving("a")).toBe(true);
    await expect(done).resolves.toEqual({ type: "saved", id: "a", laneValue: 2 });
    expect(calls).toEqual([{ id: "a", laneValue: 2, etag: 'W/"5"' }]);
    expect(controller.isSaving("a")).toBe(false);
    expect(controller.etagOf(card)).toBe('W/"6"');
    expect(events.map((e) => e.type)).toEqual(["moved", "saved"]);
  });

  it("on 412 shows the server's truth and overwrites nothing", async () => {
    const { services, calls } = fakeServices(() => ({ kind: "concurrency" }), { laneValue: 1, etag: 'W/"8"' });
    const controller = new MoveController(services);
    await expect(controller.move(card, 2)).resolves.toEqual({ type: "conflict", id: "a", laneValue: 1 });
    expect(calls).toHaveLength(1);
    expect(controller.laneOf(card)).toBe(1);
    expect(controller.etagOf(card)).toBe('W/"8"');
  });

  it("on 429 waits Retry-After and tries again, then saves", async () => {
    const { services, calls, sleeps } = fakeServices((n) => (n < 3 ? { kind: "throttled", retryAfterMs: 1200 } : undefined), { laneValue: 2, etag: 'W/"6"' });
    const events: MoveEvent[] = [];
    const controller = new MoveController(services, (e) => events.push(e));
    await expect(controller.move(card, 2)).resolves.toMatchObject({ type: "saved" });
    expect(sleeps).toEqual([1200, 1200]);
    expect(calls).toHaveLength(3);
    expect(events.map((e) => e.type)).toEqual(["moved", "retrying", "retrying", "saved"]);
  });

  it("gives up after the bounded number of 429 retries and puts the card back", async () => {
    const { services, calls } = fakeServices(() => ({ kind: "throttled" }));
    const controller = new MoveController(services, undefined, { maxThrottleRetries: 2, maxDelayMs: 10_000, defaultDelayMs: 500 });
    await expect(controller.move(card, 2)).resolves.toEqual({ type: "failed", id: "a", laneValue: 0, errorKind: "throttled" });
    expect(calls).toHaveLength(3);
    expect(controller.laneOf(card)).toBe(0);
  });

  it("does not wait out a Retry-After longer than the limit", async () => {
    const { services, sleeps } = fakeServices(() => ({ kind: "throttled", retryAfterMs: 300_000 }));
    const controller = new MoveController(services);
    await expect(controller.move(card, 2)).resolves.toMatchObject({ type: "failed", errorKind: "throttled" });
    expect(sleeps).toEqual([]);
  });

  it("puts the card back and says why on any other failure", async () => {
    const { services } = fakeServices(() => ({ kind: "server", status: 500 }));
    const controller = new MoveController(services);
    await expect(controller.move(card, 2)).resolves.toEqual({ type: "failed", id: "a", laneValue: 0, errorKind: "server" });
    expect(controller.laneOf(card)).toBe(0);
    expect(controller.movedCards(new Map([[card.id, card]]))).toEqual([]);
  });

  it("refuses a second move of a card whose first move is still saving", async () => {
    let release: () => void = () => undefined;
    const services: MoveServices = {
      save: () => new Promise<void>((resolve) => (release = resolve)),
      reload: () => Promise.resolve({ laneValue: 1, etag: 'W/"6"' }),
      sleep: () => Promise.resolve(),
    };
    const controller = new MoveController(services);
    const first = controller.move(card, 1);
    await expect(controller.move(card, 2)).resolves.toMatchObject({ type: "failed", errorKind: "saving" });
    expect(controller.laneOf(card)).toBe(1);
    release();
    await expect(first).resolves.toMatchObject({ type: "saved", laneValue: 1 });
  });

  it("forgets a saved move once fresh data has the same or a newer row version, never one still saving", async () => {
    const { services } = fakeServices(() => undefined, { laneValue: 2, etag: 'W/"6"' });
    const controller = new MoveController(services);
    await controller.move(card, 2);
    controller.reconcile([{ id: "a", laneValue: 0, etag: 'W/"5"' }]);
    expect(controller.laneOf(card)).toBe(2);
    controller.reconcile([{ id: "a", laneValue: 3, etag: 'W/"7"' }]);
    expect(controller.laneOf({ id: "a", laneValue: 3 })).toBe(3);
    expect(controller.movedCards(new Map([["a", { id: "a", laneValue: 3 }]]))).toEqual([]);
  });
});

describe("MoveController against the in-memory Dataverse with injected faults", () => {
  function setup() {
    const sample = createSampleData({ opportunities: 20 });
    const api = new InMemoryWebApi({ store: sample.store });
    const id = sample.opportunities.find((o) => sample.store.get("opportunity", o)?.statecode === 0) ?? "";
    const row = () => sample.store.get("opportunity", id) ?? {};
    const failureOf = (status: number, body: string, retryAfter?: string) => {
      const kind = status === 412 ? "concurrency" : status === 429 ? "throttled" : status >= 500 ? "server" : "invalid";
      return Object.assign(new Error(body), { kind, ...(retryAfter && { retryAfterMs: Number(retryAfter) * 1000 }) });
    };
    const services: MoveServices = {
      async save(rowId, laneValue, etag) {
        const response = await api.handle({
          method: "PATCH",
          url: `/api/data/v9.2/opportunities(${rowId})`,
          headers: { "Content-Type": "application/json", ...(etag && { "If-Match": etag }) },
          body: JSON.stringify({ salesstage: laneValue }),
        });
        if (response.status >= 400) throw failureOf(response.status, response.body, response.headers["Retry-After"] ?? response.headers["retry-after"]);
      },
      async reload(rowId) {
        const response = await api.handle({ method: "GET", url: `/api/data/v9.2/opportunities(${rowId})?$select=salesstage` });
        const body = JSON.parse(response.body) as { salesstage: number | null; "@odata.etag": string };
        return { laneValue: body.salesstage, etag: body["@odata.etag"] };
      },
      sleep: () => Promise.resolve(),
    };
    const current = row();
    const loaded = { id, laneValue: current.salesstage as number, etag: `W/"${Number(current.versionnumber)}"` };
    const target = ((current.salesstage as number) + 1) % 4;
    return { api, row, services, loaded, target };
  }

  it("saves a move with the concurrency check", async () => {
    const { services, loaded, target, row } = setup();
    await expect(new MoveController(services).move(loaded, target)).resolves.toMatchObject({ type: "saved", laneValue: target });
    expect(row().salesstage).toBe(target);
  });

  it("a concurrent save wins: 412, nothing overwritten, the card shows what Dataverse has", async () => {
    const { api, services, loaded, target, row } = setup();
    api.faults.add({ kind: "conflict", table: "opportunity", operation: "update", times: 1 });
    const before = row().salesstage;
    const controller = new MoveController(services);
    await expect(controller.move(loaded, target)).resolves.toMatchObject({ type: "conflict", laneValue: before });
    expect(row().salesstage).toBe(before);
    expect(controller.laneOf(loaded)).toBe(before);
  });

  it("429 then success: one change, applied once", async () => {
    const { api, services, loaded, target, row } = setup();
    api.faults.add({ kind: "throttle", table: "opportunity", operation: "update", times: 2, retryAfterSeconds: 1 });
    const writes: string[] = [];
    api.store.subscribe((change) => writes.push(`${change.kind} ${change.id}`));
    await expect(new MoveController(services).move(loaded, target)).resolves.toMatchObject({ type: "saved" });
    expect(row().salesstage).toBe(target);
    expect(writes).toEqual([`modified ${loaded.id}`]);
  });

  it("500: the card goes back and Dataverse is unchanged", async () => {
    const { api, services, loaded, target, row } = setup();
    api.faults.add({ kind: "serverError", table: "opportunity", operation: "update", times: 1 });
    const controller = new MoveController(services);
    await expect(controller.move(loaded, target)).resolves.toMatchObject({ type: "failed", errorKind: "server" });
    expect(row().salesstage).toBe(loaded.laneValue);
    expect(controller.laneOf(loaded)).toBe(loaded.laneValue);
  });
});
