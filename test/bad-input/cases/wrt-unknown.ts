// expect: TSG2003 -
// args: --wrt y
// message: --wrt 'y' is not a parameter of any selected function
export function f(x: number): number {
  return x * x;
}
