// expect: TS1005 8:1
// A syntax error: the function's closing brace is missing.
export function f(x: number): number {
  if (x > 1) {
    return x;
  return 2 * x;
}
