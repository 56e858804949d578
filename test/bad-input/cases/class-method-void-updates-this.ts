// expect: TSG2004 9:3
// args: --fn Body_step
// message: Function 'Body_step' is skipped: it returns 'void' and updates its object ('this'), which is not taken as a result yet; return the new values ({ x: this.x, v: this.v }), or write it as a function that updates the object passed to it (function step(self: Body, dt: number): void)
// Not "writes into none of its parameters": it writes its object.
export class Body {
  x = 0;
  v = 1;

  step(dt: number): void {
    this.x += this.v * dt;
  }
}
