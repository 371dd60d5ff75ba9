import { keyCommand, moveEventText, neighbourLane, refusalText } from "../../../../../components/PipelineBoard/PipelineBoard/model/keyboard";
import { lanesFor } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import { resxTranslate } from "../resx";

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; shiftKey: boolean; metaKey: boolean }> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe("keyCommand", () => {
  it("moves the card with Alt+arrows and walks the board with plain arrows", () => {
    expect(keyCommand(key("ArrowRight", { altKey: true }))).toEqual({ type: "moveBy", step: 1 });
    expect(keyCommand(key("ArrowLeft", { altKey: true }))).toEqual({ type: "moveBy", step: -1 });
    expect(keyCommand(key("ArrowRight"))).toEqual({ type: "focusLane", step: 1 });
    expect(keyCommand(key("ArrowDown"))).toEqual({ type: "focusCard", step: 1 });
    expect(keyCommand(key("End"))).toEqual({ type: "focusCard", step: "last" });
  });

  it("opens Move to… with Shift+F10 or the context-menu key and the record with Enter", () => {
    expect(keyCommand(key("F10", { shiftKey: true }))).toEqual({ type: "menu" });
    expect(keyCommand(key("ContextMenu"))).toEqual({ type: "menu" });
    expect(keyCommand(key("Enter"))).toEqual({ type: "open" });
  });

  it("selects the card with Space, not with Shift+Space or Ctrl+Space", () => {
    expect(keyCommand(key(" "))).toEqual({ type: "select" });
    expect(keyCommand(key(" ", { shiftKey: true }))).toBeNull();
    expect(keyCommand(key(" ", { ctrlKey: true }))).toBeNull();
  });

  it("leaves browser and screen-reader shortcuts alone", () => {
    expect(keyCommand(key("ArrowRight", { ctrlKey: true }))).toBeNull();
    expect(keyCommand(key("ArrowRight", { metaKey: true, altKey: true }))).toBeNull();
    expect(keyCommand(key("a"))).toBeNull();
  });
});

describe("neighbourLane", () => {
  const lanes = lanesFor([0, 1, 2, 3].map((value) => ({ value, label: `L${value}` })), "none");

  it("steps to the nearest lane a move may go to, skipping refused ones", () => {
    expect(neighbourLane(lanes, "1", 1, () => true)?.key).toBe("2");
    expect(neighbourLane(lanes, "1", 1, (l) => l.key !== "2")?.key).toBe("3");
    expect(neighbourLane(lanes, "0", -1, () => true)).toBeNull();
  });
});

describe("announcements", () => {
  const label = (value: number | null) => (value === null ? "(no value)" : ["Qualify", "Develop", "Propose", "Close"][value]);

  it("tells each step of a move in English", () => {
    const t = resxTranslate(1033);
    expect(moveEventText(t, { type: "moved", id: "1", from: 0, to: 2 }, "Deal A", label)).toBe("Moved Deal A from Qualify to Propose. Saving.");
    expect(moveEventText(t, { type: "saved", id: "1", laneValue: 2 }, "Deal A", label)).toBe("Deal A saved in Propose.");
    expect(moveEventText(t, { type: "retrying", id: "1", delayMs: 1500 }, "Deal A", label)).toBe("Dataverse is busy; saving Deal A again in 2 seconds.");
    expect(moveEventText(t, { type: "retrying", id: "1", delayMs: 1000 }, "Deal A", label)).toBe("Dataverse is busy; saving Deal A again in 1 second.");
    expect(moveEventText(t, { type: "failed", id: "1", laneValue: 0, errorKind: "server" }, "Deal A", label)).toBe(
      "Deal A could not be moved: Dataverse had a problem; try again later. It is back in Qualify.",
    );
    expect(moveEventText(t, { type: "conflict", id: "1", laneValue: 3 }, "Deal A", label)).toContain("changed by someone else");
  });

  it("tells each step of a move in Simplified Chinese", () => {
    const t = resxTranslate(2052);
    expect(moveEventText(t, { type: "moved", id: "1", from: 0, to: 2 }, "交易A", (v) => (v === 0 ? "资格审查" : "建议"))).toBe("已将交易A从资格审查移到建议。正在保存。");
    expect(refusalText(t, "dialog", "交易A", "赢单")).toBe("无法在此处将交易A移到赢单：请打开记录并使用其结束或状态对话框。");
  });

  it("explains unknown failure kinds with the generic message", () => {
    const t = resxTranslate(1033);
    expect(moveEventText(t, { type: "failed", id: "1", laneValue: null, errorKind: "mystery" }, "X", label)).toContain("Something went wrong.");
  });
});
