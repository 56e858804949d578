// expect: TSG1040 5:14
// message: the pairs of .entries() must be destructured as [i, x]
export function f(xs: number[]): number {
  let s = 0;
  for (const pair of xs.entries()) {
    s += 1;
  }
  return s;
}
