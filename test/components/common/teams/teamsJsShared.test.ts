/** @jest-environment jsdom */
import { loadTeamsJs, SHARED_TEAMS_JS } from "../../../../components/common/src/teams/teamsJs";

const themeHandlers: ((theme: string) => void)[] = [];
const app = {
  initialize: jest.fn(() => Promise.resolve()),
  getContext: jest.fn(() => Promise.resolve({ app: { theme: "dark", locale: "zh-cn" } })),
  registerOnThemeChangeHandler: jest.fn((handler: (theme: string) => void) => {
    // teams-js keeps one handler per copy: a second registration replaces the first.
    themeHandlers.splice(0, themeHandlers.length, handler);
  }),
  openLink: jest.fn(() => Promise.resolve()),
};
let moduleRuns = 0;
jest.mock("../../../../components/common/src/teams/teamsApp", () => {
  moduleRuns++;
  return { app };
});

describe("one teams-js per page", () => {
  beforeEach(() => {
    delete (window as unknown as Record<string, unknown>)[SHARED_TEAMS_JS];
    jest.clearAllMocks();
    themeHandlers.length = 0;
  });

  it("gives the second control in a window the first one's SDK: one copy, one initialize", async () => {
    const first = await loadTeamsJs();
    const second = await loadTeamsJs();
    expect(second).toBe(first);
    await Promise.all([first.initialize(), second.initialize()]);
    expect(app.initialize).toHaveBeenCalledTimes(1);
    expect(moduleRuns).toBe(1);
  });

  it("hands each theme change to every control's handler, although teams-js keeps only one", async () => {
    const sdk = await loadTeamsJs();
    const panel: string[] = [];
    const board: string[] = [];
    sdk.registerOnThemeChangeHandler((t) => panel.push(t));
    sdk.registerOnThemeChangeHandler((t) => board.push(t));
    expect(app.registerOnThemeChangeHandler).toHaveBeenCalledTimes(1);
    themeHandlers[0]("dark");
    expect([panel, board]).toEqual([["dark"], ["dark"]]);
  });

  it("stops handing theme changes to a control that stopped listening", async () => {
    const sdk = await loadTeamsJs();
    const panel: string[] = [];
    const board: string[] = [];
    const stopPanel = sdk.registerOnThemeChangeHandler((t) => panel.push(t));
    sdk.registerOnThemeChangeHandler((t) => board.push(t));
    stopPanel();
    themeHandlers[0]("contrast");
    expect([panel, board]).toEqual([[], ["contrast"]]);
  });

  it("uses a copy another bundle already put on the window instead of its own", async () => {
    const other = { initialize: jest.fn(), getContext: jest.fn(), registerOnThemeChangeHandler: jest.fn(), openLink: jest.fn() };
    Object.defineProperty(window, SHARED_TEAMS_JS, { value: { version: 1, sdk: Promise.resolve(other) }, configurable: true });
    await expect(loadTeamsJs()).resolves.toBe(other);
  });

  it("ignores a window property of another shape and loads its own copy", async () => {
    Object.defineProperty(window, SHARED_TEAMS_JS, { value: { version: 99 }, configurable: true });
    const sdk = await loadTeamsJs();
    await sdk.initialize();
    expect(app.initialize).toHaveBeenCalledTimes(1);
  });
});
