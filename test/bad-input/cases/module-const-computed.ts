// expect: TSG1092 6:14
// message: 'SQRT2' is a module-level constant whose value tsgrad cannot work out when it compiles (Math.sqrt(2)); write the number itself (a literal, or arithmetic of literals and other such constants), or compute the value inside the function.
const SQRT2 = Math.sqrt(2);

export function f(x: number): number {
  return x * SQRT2;
}
