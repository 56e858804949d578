// expect: TSG2004 4:1
// args: --fn f
// message: Function 'f' is skipped: Parameter 's' has type 'Map<string, number>'
export function f(x: number, s: Map<string, number>): number {
  return x * (s.get("a") ?? 1);
}
