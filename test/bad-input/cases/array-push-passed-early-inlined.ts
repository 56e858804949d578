// expect: TSG1072 13:13
// message: 'spread(x, out)' passes 'out', an array that grows by push, to a function before its last push
type Vec2 = { x: number; y: number };

const spread = (a: number, v: number[]): Vec2 => {
  const r = Math.hypot(...v);
  return { x: r * r, y: r + a };
};

export function f(x: number, w: number[]): number {
  const out: number[] = [];
  out.push(x);
  const p = spread(x, out);
  out.push(w[0]);
  return p.x + p.y + out[1];
}
