// expect: TSG1055 9:16
// message: An object literal with an array of objects ('bodies') is not supported for objects and tuples yet
type Body = { x: number; m: number };
interface World { bodies: Body[]; g: number }
function total(w: World): number {
  return w.bodies.reduce((s, b) => s + b.m * w.g, 0);
}
export function f(bs: Body[], g: number): number {
  return total({ bodies: bs, g });
}
