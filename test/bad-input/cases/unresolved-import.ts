// expect: TSG2001 -
// message: unresolved-import.ts:5:33 - warning TSG2020: Cannot find module '@/geometry/vec'
// An alias no tsconfig.json resolves here: said at the import, then the function using its
// types is skipped (TSG2004) and nothing is left (TSG2001).
import { dot2, type Vec2 } from "@/geometry/vec";

export function energy(points: Vec2[], k: number): number {
  let e = 0;
  for (const p of points) e += k * dot2(p, p);
  return e;
}
