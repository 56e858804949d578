// expect: TSG1070 6:13
// message: Array method 'findIndex' on an array of objects; write a for...of loop over the array
interface P { x: number; m: number }

export function f(ps: P[]): number {
  return ps.findIndex((p) => p.m > 1) * ps[0].x;
}
