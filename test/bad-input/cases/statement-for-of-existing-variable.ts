// expect: TSG1040 6:8
// message: it assigns to an existing variable
export function f(xs: number[]): number {
  let s = 0;
  let x = 0;
  for (x of xs) {
    s += x;
  }
  return s;
}
