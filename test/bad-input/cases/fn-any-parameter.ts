// expect: TSG2004 4:1
// args: --fn f
// message: 'x' has type 'any'
export function f(x: any): number {
  return x * 2;
}
