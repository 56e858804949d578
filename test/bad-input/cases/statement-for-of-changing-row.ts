// expect: TSG1040 6:19
// message: 'm[i]' reads a variable that changes
export function f(m: number[][]): number {
  let s = 0;
  let i = 0;
  for (const x of m[i]) {
    s += x;
    i = 1;
  }
  return s;
}
