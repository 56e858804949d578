// expect: TSG1076 11:47
// also: TSG1076 12:8
// message: chooses an array with ?:
function step(h: number[], input: number[]): void {
  for (let i = 0; i < h.length; i++) h[i] = Math.tanh(h[i] * input[i]);
}
/** Each layer reads the one below it, the first the input: the array passed depends on the layer. */
export function f(w: number[], layers: number, k: number): number {
  const h = Array.from({ length: layers }, () => new Array<number>(w.length).fill(0));
  const x = w.slice();
  for (let l = 0; l < layers; l++) step(h[l], l === 0 ? w : h[l - 1]);
  step(k > 1 ? x : w.slice(), w);
  return h[layers - 1][0] + x[0];
}
