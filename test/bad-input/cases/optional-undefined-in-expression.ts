// expect: TSG1002 10:49
// message: 'undefined' where a number is needed (it may only be passed whole for an optional parameter, f(x, undefined))
// `huber(r, undefined)` passes nothing (accepted); an undefined chosen by a ?: is a value numeric code cannot hold.
function huber(r: number, delta?: number): number {
  const d = delta ?? 1;
  const a = Math.abs(r);
  return a <= d ? 0.5 * r * r : d * (a - 0.5 * d);
}
export function loss(r: number): number {
  return huber(r, undefined) + huber(r, r > 0 ? undefined : 2);
}
