/**
 * Draws the Teams app icons (manifest/color.png 192×192, manifest/outline.png 32×32): a shield
 * with a chat bubble, in the Hessian colours red and white. Rerun after changing the drawing:
 * `npm run teams:icons`. The PNGs are committed, so packaging does not depend on this script.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { projectRoot } from '../src/paths';

type Point = readonly [number, number];
type Rgba = readonly [number, number, number, number];
/** A shape answers "is this point inside?" in unit coordinates (0..1, y downwards). */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  color: Rgba;
}

const HESSEN_RED: Rgba = [200, 16, 46, 255];
const WHITE: Rgba = [255, 255, 255, 255];

function quadratic(a: Point, c: Point, b: Point, steps: number): Point[] {
  const out: Point[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    out.push([u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]]);
  }
  return out;
}

/** Shield outline: flat top with slightly raised corners, straight sides, curved to a point. */
function shieldPolygon(left: number, top: number, right: number, bottom: number): Point[] {
  const mid = (left + right) / 2;
  const shoulder = top + (bottom - top) * 0.45;
  const notch = (bottom - top) * 0.04;
  const leftSide: Point[] = [[left, top], [mid, top + notch], [right, top], [right, shoulder]];
  const rightCurve = quadratic([right, shoulder], [right, top + (bottom - top) * 0.82], [mid, bottom], 24);
  const leftCurve = quadratic([mid, bottom], [left, top + (bottom - top) * 0.82], [left, shoulder], 24);
  return [...leftSide, ...rightCurve, ...leftCurve];
}

function insidePolygon(poly: Point[]): Shape {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i];
      const [xj, yj] = poly[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function distanceToPolygonEdge(poly: Point[], x: number, y: number): number {
  let best = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ax, ay] = poly[j];
    const [bx, by] = poly[i];
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
  }
  return best;
}

/** The band of width `width` just inside the polygon's edge. */
function polygonStroke(poly: Point[], width: number): Shape {
  const inside = insidePolygon(poly);
  return (x, y) => inside(x, y) && distanceToPolygonEdge(poly, x, y) <= width;
}

function roundedRect(left: number, top: number, right: number, bottom: number, radius: number): Shape {
  return (x, y) => {
    if (x < left || x > right || y < top || y > bottom) return false;
    const cx = Math.min(Math.max(x, left + radius), right - radius);
    const cy = Math.min(Math.max(y, top + radius), bottom - radius);
    return Math.hypot(x - cx, y - cy) <= radius;
  };
}

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => Math.hypot(x - cx, y - cy) <= r;
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);

/** Speech bubble with its tail at the lower left, as in a chat. */
function bubble(left: number, top: number, right: number, bottom: number): Shape {
  const h = bottom - top;
  const w = right - left;
  const tail = insidePolygon([
    [left + w * 0.16, bottom - h * 0.1],
    [left + w * 0.42, bottom - h * 0.1],
    [left + w * 0.1, bottom + h * 0.38],
  ]);
  return union(roundedRect(left, top, right, bottom, h * 0.28), tail);
}

function bubbleDots(left: number, top: number, right: number, bottom: number, r: number): Shape {
  const cy = (top + bottom) / 2;
  const step = (right - left) / 4;
  return union(circle(left + step, cy, r), circle(left + 2 * step, cy, r), circle(left + 3 * step, cy, r));
}

/** Renders layers (painted in order) with `ss`×`ss` samples per pixel, which gives smooth edges. */
function render(size: number, layers: Layer[], ss = 6): PNG {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let color: Rgba | undefined;
          for (const layer of layers) if (layer.shape(x, y)) color = layer.color;
          if (!color) continue;
          const alpha = color[3] / 255;
          r += color[0] * alpha;
          g += color[1] * alpha;
          b += color[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((a / (ss * ss)) * 255);
    }
  }
  return png;
}

/** Full-colour icon: white shield on Hessian red, a red chat bubble with white dots inside. */
export function colorIcon(): PNG {
  const shield = shieldPolygon(0.21, 0.13, 0.79, 0.89);
  const b = [0.32, 0.3, 0.68, 0.55] as const;
  return render(192, [
    { shape: () => true, color: HESSEN_RED },
    { shape: insidePolygon(shield), color: WHITE },
    { shape: bubble(...b), color: HESSEN_RED },
    { shape: bubbleDots(...b, 0.028), color: WHITE },
  ]);
}

/** Outline icon for the Teams app bar: white only, on a transparent background. */
export function outlineIcon(): PNG {
  const shield = shieldPolygon(0.16, 0.06, 0.84, 0.96);
  const b = [0.3, 0.28, 0.7, 0.56] as const;
  return render(32, [
    { shape: polygonStroke(shield, 0.075), color: WHITE },
    { shape: minus(bubble(...b), bubbleDots(...b, 0.045)), color: WHITE },
  ]);
}

if (require.main === module) {
  const dir = path.join(projectRoot(), 'manifest');
  writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(colorIcon()));
  writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(outlineIcon()));
  console.log('manifest/color.png und manifest/outline.png geschrieben.');
}
