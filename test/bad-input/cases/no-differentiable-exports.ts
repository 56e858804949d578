// expect: TSG2001 -
// message: no-differentiable-exports.ts:4:1 - warning TSG2004: Function 'label' is skipped: it returns 'string'
// Exported functions, none of them numeric: each skipped one is named by default, then TSG2001.
export function label(n: number): string {
  return "f" + n;
}
export function twice(s: string): string {
  return s + s;
}
function helper(x: number): number {
  return x;
}
