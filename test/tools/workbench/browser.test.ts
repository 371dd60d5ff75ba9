import * as path from "node:path";
import { localIconFont } from "../../../tools/workbench/browser";

const ROOT = path.resolve(__dirname, "../../..");

describe("localIconFont", () => {
  it("maps the CDN's Fluent icon font to the copy @fluentui/font-icons-mdl2 ships", () => {
    const local = localIconFont(ROOT, "https://res.cdn.office.net/files/fabric-cdn-prod_20240925.001/assets/icons/fabric-icons-a13498cf.woff");
    expect(local).toBe(path.join(ROOT, "node_modules/@fluentui/font-icons-mdl2/fonts/fabric-icons-a13498cf.woff"));
  });

  it("has nothing for text fonts, unknown icon files or paths that try to leave the fonts folder", () => {
    expect(localIconFont(ROOT, "https://res-1.cdn.office.net/files/fabric-cdn-prod_20230815.002/assets/fonts/segoeui-westeuropean/segoeui-regular.woff2")).toBeUndefined();
    expect(localIconFont(ROOT, "https://res.cdn.office.net/assets/icons/fabric-icons-00000000.woff")).toBeUndefined();
    expect(localIconFont(ROOT, "https://res.cdn.office.net/assets/icons/..%2F..%2Fpackage.json")).toBeUndefined();
  });
});
