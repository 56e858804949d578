// expect: TSG1070 6:13
// message: Array method 'reduce' on an array of objects; write a for...of loop over the array
interface P { x: number; m: number }

export function f(ps: P[]): number {
  return ps.reduce((s, p) => s + p.m * p.x, 0);
}
