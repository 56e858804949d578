// expect: TSG1070 4:13
// message: Array method 'includes' is not supported; write a for loop that sets a boolean
export function f(xs: number[]): number {
  return xs.includes(2) ? xs[0] : 0;
}
