// expect: TSG1055 15:21
// also: TSG1055 16:13
// message: of a class that extends another, is not supported for objects and tuples yet
class Base {
  constructor(public x: number) {}
}

class Scaled extends Base {
  constructor(x: number, public s: number) {
    super(x * s);
  }
}

export function f(x: number): number {
  const p: Scaled = new Scaled(x, 2);
  const q = new Scaled(p.x, 3);
  return q.x + p.s;
}
