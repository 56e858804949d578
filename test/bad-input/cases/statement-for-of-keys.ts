// expect: TSG1040 5:19
// message: ''xs.keys()' is not an array of numbers or of objects'
export function f(xs: number[]): number {
  let s = 0;
  for (const i of xs.keys()) {
    s += xs[i];
  }
  return s;
}
