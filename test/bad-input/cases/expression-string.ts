// expect: TSG1008 4:7
// also: TSG1008 4:13
export function f(x: number): number {
  if ("a" < "b") {
    return x;
  }
  return 2 * x;
}
