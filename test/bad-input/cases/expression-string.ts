// expect: TSG1008 4:7
// Strings compare by identity (=== and !==) only.
export function f(x: number): number {
  if ("a" < "b") {
    return x;
  }
  return 2 * x;
}
