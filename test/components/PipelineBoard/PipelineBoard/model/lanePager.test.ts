import type { BoardCard } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import type { PagingPosition } from "../../../../../components/PipelineBoard/PipelineBoard/model/laneQuery";
import { type LanePage, LanePager } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanePager";

const card = (n: number) => ({ id: `r${n}`, laneValue: 0 }) as BoardCard;

/**
 * A lane of `size` records answering as Dataverse does: with cookies (the position after the last row read), or —
 * for queries Dataverse cannot page by cookie — by page number in units of the page size asked for.
 */
function lane(size: number, cookies = true) {
  const reads: { start: number; count: number; keysOnly: boolean }[] = [];
  const reader = {
    read: (position: PagingPosition, count: number, keysOnly: boolean): Promise<LanePage> => {
      const start = position.cookie !== undefined ? Number(position.cookie) : (position.page - 1) * count;
      reads.push({ start, count, keysOnly });
      const end = Math.min(size, start + count);
      const rows = Math.max(0, end - start);
      const next = end < size ? { page: position.page + 1, ...(cookies && { cookie: String(end) }) } : null;
      return Promise.resolve({ cards: keysOnly ? [] : Array.from({ length: rows }, (_, i) => card(start + i)), next, rows });
    },
  };
  return { reader, reads };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

describe("a lane pager", () => {
  it("reads the pages the user looks at, with one page ahead", async () => {
    const { reader, reads } = lane(1000);
    const pager = new LanePager(reader, () => undefined, { pageSize: 50 });
    pager.want(0, 10);
    await settle();
    expect(reads).toEqual([
      { start: 0, count: 50, keysOnly: false },
      { start: 50, count: 50, keysOnly: false },
    ]);
    expect(pager.at(0)?.id).toBe("r0");
    expect(pager.at(99)?.id).toBe("r99");
    expect(pager.at(100)).toBeUndefined();
  });

  it("walks to a far page with keys-only reads of 5,000 rows, then reads only the cards there", async () => {
    const { reader, reads } = lane(30_000);
    const pager = new LanePager(reader, () => undefined, { pageSize: 50 });
    pager.want(29_990, 30_000);
    await settle();
    expect(reads.filter((r) => r.keysOnly).map((r) => r.count)).toEqual([5000, 5000, 5000, 5000, 5000, 4950]);
    expect(reads.filter((r) => !r.keysOnly)).toEqual([{ start: 29_950, count: 50, keysOnly: false }]);
    expect(pager.at(29_999)?.id).toBe("r29999");
    expect(pager.length).toEqual({ count: 30_000, exact: true });
  });

  it("keeps a bounded number of pages and reads a let-go page again from its cookie", async () => {
    const { reader, reads } = lane(2000);
    const pager = new LanePager(reader, () => undefined, { pageSize: 50, keptPages: 4 });
    for (let start = 0; start < 2000; start += 200) {
      pager.want(start, start + 10);
      await settle();
    }
    expect(pager.held().length).toBeLessThanOrEqual(4 * 50);
    const before = reads.length;
    pager.want(0, 10);
    await settle();
    expect(reads.slice(before)[0]).toEqual({ start: 0, count: 50, keysOnly: false });
    expect(pager.at(0)?.id).toBe("r0");
  });

  it("reaches a far page by page number when Dataverse gives no cookie for the query", async () => {
    const { reader, reads } = lane(3000, false);
    const pager = new LanePager(reader, () => undefined, { pageSize: 50 });
    pager.want(0, 10);
    await settle();
    pager.want(2500, 2510);
    await settle();
    expect(pager.at(2500)?.id).toBe("r2500");
    expect(reads.filter((r) => r.keysOnly)).toHaveLength(0);
  });

  it("says why a read failed and tries again when the user looks again", async () => {
    let fail = true;
    const { reader } = lane(100);
    const pager = new LanePager({ read: (p, c, k) => (fail ? Promise.reject(new Error("offline")) : reader.read(p, c, k)) }, () => undefined, { pageSize: 50 });
    pager.want(0, 10);
    await settle();
    expect((pager.error as Error).message).toBe("offline");
    fail = false;
    pager.want(0, 10);
    await settle();
    expect(pager.error).toBeNull();
    expect(pager.at(0)?.id).toBe("r0");
  });

  it("shows the host's first records until its own first page arrives, and a count it was told until it meets the end", async () => {
    const { reader } = lane(120);
    const pager = new LanePager(reader, () => undefined, { pageSize: 50 });
    pager.setSeed([card(0), card(1)]);
    pager.setLength({ count: 120, exact: true });
    expect(pager.at(1)?.id).toBe("r1");
    expect(pager.length).toEqual({ count: 120, exact: true });
    pager.want(100, 120);
    await settle();
    expect(pager.length).toEqual({ count: 120, exact: true });
    expect(pager.at(119)?.id).toBe("r119");
  });

  it("drops the host's first records once its own first page arrives, so a page let go is read again, not seeded", async () => {
    const { reader } = lane(2000);
    const pager = new LanePager(reader, () => undefined, { pageSize: 50, keptPages: 2 });
    pager.setSeed([card(0), card(1)]);
    pager.want(0, 10);
    await settle();
    pager.want(1500, 1510);
    await settle();
    expect(pager.at(0)).toBeUndefined();
    expect(pager.held().every(([position]) => position >= 1500)).toBe(true);
  });
});

