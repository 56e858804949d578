// expect: TSG1091 3:17
// message: 'softplus' has a declared softplus_vjp but no softplus_jvp, which forward mode (f_jvp) needs: declare softplus_jvp too, or compile with --mode reverse.
export function softplus(x: number): number {
  return Math.log1p(Math.exp(x));
}

export function softplus_vjp(x: number, cotangent: number): { value: number; grad: { x: number } } {
  return { value: softplus(x), grad: { x: cotangent / (1 + Math.exp(-x)) } };
}
