/**
 * The live suite's own harness: it deletes every row it created (also rows a request created that should have been
 * refused), never skips in-memory, and refuses a half-configured real environment instead of quietly testing the fake.
 */
import { LiveTarget } from "./support/target";

jest.setTimeout(30_000);

describe("LiveTarget in-memory", () => {
  let target: LiveTarget;
  beforeAll(async () => {
    target = await LiveTarget.start({});
  });
  afterAll(async () => {
    await target?.close();
  });

  test("serves the in-memory Dataverse on 127.0.0.1 and names its rows with a random prefix", () => {
    expect(target.mode).toBe("in-memory");
    expect(target.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/$/);
    expect(target.prefix).toMatch(/^tcc-live-[0-9a-f]{8}$/);
  });

  test("cleanUp deletes every row it created, children first, and the rows are gone afterwards", async () => {
    const accountId = await target.mustCreate("accounts", { name: `${target.prefix} parent` });
    const linkId = await target.mustCreate("tcc_teamslinks", { tcc_name: `${target.prefix} child`, "tcc_AccountId@odata.bind": `/accounts(${accountId})` });
    // A row made by a create whose status the caller does not check is recorded too.
    const { id: loose } = await target.create("accounts", { name: `${target.prefix} loose` });
    expect(loose).toBeDefined();
    expect(await target.cleanUp()).toEqual([]);
    for (const path of [`accounts(${accountId})`, `tcc_teamslinks(${linkId})`, `accounts(${loose})`]) {
      expect((await target.get(path)).status).toBe(404);
    }
    const left = await target.get(`accounts?$select=name&$filter=startswith(name,'${target.prefix}')`);
    expect(left.status).toBe(200);
    expect(left.body.value).toEqual([]);
  });

  test("a refused create records nothing", async () => {
    const { response, id } = await target.create("tcc_teamslinks", { tcc_name: `${target.prefix} refused`, "tcc_accountid@odata.bind": "/accounts(00000000-0000-0000-0000-000000000001)" });
    expect(response.status).toBe(400);
    expect(id).toBeUndefined();
    expect(await target.cleanUp()).toEqual([]);
  });

  test("skipping is an error in-memory: every table the suite needs is there", () => {
    expect(() => target.skip("a test", "a reason")).toThrow(/in-memory Dataverse must never skip/);
  });
});

describe("LiveTarget against a real environment", () => {
  test("sends the bearer token on every request; a missing table is reported (not thrown) and a skip is printed and kept", async () => {
    const { createSampleData } = await import("../../tools/dataverse/sampleData");
    const { startDataverseServer } = await import("../../tools/dataverse/node/server");
    const server = await startDataverseServer({ store: createSampleData({ opportunities: 10 }).store });
    const seen: (string | undefined)[] = [];
    const original = server.api.handle.bind(server.api);
    server.api.handle = (request) => {
      seen.push(request.headers?.authorization);
      return original(request);
    };
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const target = LiveTarget.connect(`${server.url}api/data/v9.2/`, () => Promise.resolve("token-1"));
      expect(target.mode).toBe("real");
      expect(await target.hasTable("account")).toBe(true);
      expect(await target.hasTable("tcc_nosuchtable")).toBe(false);
      expect(seen).toEqual(["Bearer token-1", "Bearer token-1"]);
      target.skip("a test", "table x is absent");
      expect(target.skipped).toEqual(["SKIPPED a test: table x is absent"]);
      expect(warn).toHaveBeenCalledWith("SKIPPED a test: table x is absent");
    } finally {
      warn.mockRestore();
      await server.close();
    }
  });

  test("TCC_DATAVERSE_URL without the credentials fails naming the missing variables", async () => {
    await expect(LiveTarget.start({ TCC_DATAVERSE_URL: "https://contoso-dev.crm.dynamics.com", TCC_TENANT_ID: "t" })).rejects.toThrow(
      /TCC_CLIENT_ID, TCC_CLIENT_SECRET are not set/,
    );
  });

  test("a URL that is not https is refused before any token is asked for", async () => {
    const env = { TCC_DATAVERSE_URL: "http://contoso-dev.crm.dynamics.com", TCC_TENANT_ID: "t", TCC_CLIENT_ID: "c", TCC_CLIENT_SECRET: "s" };
    await expect(LiveTarget.start(env)).rejects.toThrow(/must be an https URL/);
    await expect(LiveTarget.start({ ...env, TCC_DATAVERSE_URL: "contoso-dev" })).rejects.toThrow(/is not a URL/);
  });
});
