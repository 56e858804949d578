// expect: TSG1070 6:13
// message: Array method 'indexOf' on an array of objects; write a for...of loop over the array
interface P { x: number; m: number }

export function f(ps: P[], q: P): number {
  return ps.indexOf(q) * ps[0].x;
}
