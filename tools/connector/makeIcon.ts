/**
 * Draws connector/icon.png: the brand colour filling a 230x230 square (no transparency, no rounded
 * corners, as certification asks) with a white mark inside the central ~160x160 area: two
 * overlapping speech bubbles, the left one carrying a "T". Run: npx tsx tools/connector/makeIcon.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { encodePng, parseHexColour, type Raster } from "./png";

const SIZE = 230;

type Shape = (x: number, y: number) => boolean;

const roundedRect = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

const triangle = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape => (x, y) => {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

export function drawIcon(brandHex: string): Raster {
  const brand = parseHexColour(brandHex);
  if (!brand) throw new Error(`iconBrandColor '${brandHex}' is not #rrggbb`);
  const back = roundedRect(98, 62, 195, 140, 14);
  const backTail = triangle(160, 138, 182, 138, 178, 160);
  const front = roundedRect(35, 80, 150, 170, 16);
  const frontTail = triangle(60, 168, 88, 168, 52, 195);
  const frontOutline = roundedRect(29, 74, 156, 176, 20);
  const letterBar = rect(62, 100, 123, 113);
  const letterStem = rect(86, 100, 99, 154);
  const rgba = new Uint8Array(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      // Four samples per pixel smooth the edges without a rasteriser library.
      let white = 0;
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const sx = x + dx;
        const sy = y + dy;
        const inLetter = letterBar(sx, sy) || letterStem(sx, sy);
        const inFront = front(sx, sy) || frontTail(sx, sy);
        const inBack = (back(sx, sy) || backTail(sx, sy)) && !frontOutline(sx, sy);
        if ((inFront && !inLetter) || inBack) white++;
      }
      const t = white / 4;
      const i = (y * SIZE + x) * 4;
      rgba[i] = Math.round(brand[0] + (255 - brand[0]) * t);
      rgba[i + 1] = Math.round(brand[1] + (255 - brand[1]) * t);
      rgba[i + 2] = Math.round(brand[2] + (255 - brand[2]) * t);
      rgba[i + 3] = 255;
    }
  }
  return { width: SIZE, height: SIZE, rgba };
}

if (require.main === module) {
  const connectorDir = path.resolve(__dirname, "../../connector");
  const props = JSON.parse(readFileSync(path.join(connectorDir, "apiProperties.json"), "utf8")) as { properties: { iconBrandColor: string } };
  const png = encodePng(drawIcon(props.properties.iconBrandColor));
  writeFileSync(path.join(connectorDir, "icon.png"), png);
  console.log(`wrote connector/icon.png (${png.length} bytes, ${SIZE}x${SIZE}, ${props.properties.iconBrandColor})`);
}
