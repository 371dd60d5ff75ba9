/** @jest-environment jsdom */
import { loadTeamsJs } from "../../../../components/common/src/teams/teamsJs";

describe("loadTeamsJs", () => {
  const fetchCalls: string[] = [];
  beforeAll(() => {
    // Offline, as in a locked-down tenant: the library's valid-origins prefetch fails and it uses its bundled list.
    Object.defineProperty(window, "fetch", {
      configurable: true,
      value: (url: string) => {
        fetchCalls.push(String(url));
        return Promise.reject(new TypeError("Failed to fetch"));
      },
    });
  });

  it("runs nothing of @microsoft/teams-js until loaded, so a form outside Teams makes no request to its CDN", async () => {
    expect(fetchCalls).toEqual([]);
    await loadTeamsJs();
    expect(fetchCalls.some((url) => url.startsWith("https://res.cdn.office.net/teams-js/"))).toBe(true);
  });

  it("wraps the real library, whose handshake fails at once in a page with no parent frame", async () => {
    const sdk = await loadTeamsJs();
    await expect(sdk.initialize()).rejects.toThrow(/No Parent window found/);
  });
});
