// Functions of structures of numbers for vector-mode f_jacobian (test/jacobian.test.ts): a helper
// with a loop that gets a reverse routine (mix), a local array, five rows from six columns, and
// ten rows from twelve columns (two blocks of five cotangents, or of six directions by columns).

export type P = { a: number; b: number; c: number };
export type Out = { x: number; y: number; z: number; t: [number, number] };

/** A helper returning a structure (inlined into the caller). */
function spin(p: P, n: number): P {
  let a = p.a;
  let b = p.b;
  for (let i = 0; i < n; i++) {
    const t = a;
    a = a * Math.cos(b) - 0.3 * Math.sin(t);
    b = b + 0.1 * t * t;
  }
  return { a, b, c: p.c * a };
}

/** A helper with a loop: it gets routines of its own (mix_forward, mix_reverse_x5), its arguments' adjoints coming back on the tape. */
function mix(u: number, v: number): number {
  let s = u;
  for (let k = 0; k < 3; k++) s = s * v + Math.sin(u * k);
  return s;
}

export function model(p: P, s: number, pair: [number, number]): Out {
  const q = spin(p, 3);
  const acc = [0, 0, 0];
  const pr = [pair[0], pair[1]];
  for (let i = 0; i < 3; i++) acc[i] = acc[i] + q.a * (i + 1) + s * pr[i % 2];
  const m = mix(q.b, s);
  return { x: acc[0] * q.c, y: m + acc[1], z: Math.exp(0.1 * acc[2]), t: [pair[0] * m, pair[1] / (1 + q.a * q.a)] };
}

export type Ten = [number, number, number, number, number, number, number, number, number, number];
export type Twelve = [number, number, number, number, number, number, number, number, number, number, number, number];

/** Ten rows, twelve columns: by rows, in two blocks of vector mode. */
export function wide(v: Twelve): Ten {
  const vs = [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]];
  let run = 0;
  const r: number[] = [];
  for (let i = 0; i < 10; i++) {
    run = run * 0.5 + vs[i] * vs[i + 2];
    r.push(Math.sin(run) + vs[i + 1]);
  }
  return [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]];
}

export type Curve = { a: number; b: number; c: number; d: [number, number] };

/** Five rows from three numbers: by columns, one forward sweep carrying three directions (mix_tangent_x3). */
export function tall(t: number, u: number, scale: number): Curve {
  const m = mix(t, u);
  let sum = 0;
  for (let i = 1; i <= 4; i++) sum += Math.cos(t * i) / (i + u * u);
  return { a: m * scale, b: sum, c: Math.hypot(t, u, scale), d: [t * u * m, sum * sum - scale] };
}

/** Early returns, a loop left by break and a loop whose trip count is recorded: three rows, four columns. */
export function piecewise(a: number, b: [number, number, number]): { u: number; v: number; w: number } {
  let x = a;
  let n = 0;
  while (x < 4 && n < 20) {
    x = x * 1.3 + b[0] * b[0] * 0.1;
    n++;
  }
  let y = b[1];
  for (let i = 0; i < 6; i++) {
    if (y > 2) break;
    y = y + Math.sin(x * i) * b[2];
  }
  if (a < 0) return { u: x * y, v: y, w: a * b[2] };
  return { u: x + y, v: x * y * b[1], w: Math.exp(-a) * b[0] };
}
