// expect: TSG1030 8:9
// message: 'best' is any: it reads 'terms', which 'new Array(n)' creates as any[] (its elements are any to TypeScript); write new Array<number>(n) there
// new Array(n) without a type argument is any[] to TypeScript: the array itself is accepted (it
// holds numbers), but a local initialised from one of its elements is any.
export function f(xs: number[], n: number): number {
  const terms = new Array(n);
  for (let k = 0; k < n; k++) terms[k] = xs[k] * 2;
  const best = terms[0];
  let s = best;
  for (let k = 0; k < n; k++) if (terms[k] > s) s = terms[k];
  return s;
}
