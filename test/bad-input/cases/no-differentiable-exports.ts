// expect: TSG2001 -
// Exported functions, none of them numeric.
export function label(n: number): string {
  return "f" + n;
}
export function twice(s: string): string {
  return s + s;
}
function helper(x: number): number {
  return x;
}
