// expect: TSG1040 5:19
// message: 'for...of' over ''[1, 2]' is not an array variable or a row of one' is not supported
export function f(x: number): number {
  let s = 0;
  for (const v of [1, 2]) {
    s += v * x;
  }
  return s;
}
