// expect: TSG1090 4:22
// message: The derivative declared for 'norm' cannot be used: its parameter 'p' is not a plain number or numeric array (number[], Float64Array); custom derivatives of functions of objects, matrices or optional parameters are not supported yet.
type Vec2 = { x: number; y: number };
export function norm(p: Vec2): number {
  return Math.hypot(p.x, p.y);
}

export function norm_vjp(p: Vec2, cotangent: number): { value: number; grad: { p: Vec2 } } {
  const n = norm(p);
  return { value: n, grad: { p: { x: (cotangent * p.x) / n, y: (cotangent * p.y) / n } } };
}
