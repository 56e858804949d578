// expect: TSG1070 5:7
// message: Array method 'push' is not supported; only an array declared empty in this function grows
export function f(a: number[]): number {
  const out = [0, 1];
  out.push(a[0]);
  return out[0];
}
