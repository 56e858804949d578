// expect: TSG2004 4:1
// args: --fn f
// message: Function 'f' is skipped: Parameter 's' has type 'string'
export function f(x: number, s: string): number {
  return x;
}
