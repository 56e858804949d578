// expect: TSG1090 7:61
// message: The derivative declared for 'softplus' cannot be used: its result's 'grad' has no field 'x' of type number; declare softplus_vjp(x: number, cotangent: number): { value: number; grad: { x: number } }
export function softplus(x: number): number {
  return Math.log1p(Math.exp(x));
}

export function softplus_vjp(x: number, cotangent: number): { value: number; grad: { z: number } } {
  return { value: softplus(x), grad: { z: cotangent / (1 + Math.exp(-x)) } };
}
