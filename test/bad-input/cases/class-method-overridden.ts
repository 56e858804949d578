// expect: TSG1081 12:16
// message: 'this.base' is overridden in class 'Ring'
// args: --fn Circle_twice
// tsgrad calls a method by the declared type of its object; a subclass's override would run
// instead for its instances, so the call is rejected rather than differentiated wrongly.
export class Circle {
  constructor(public r: number) {}
  base(): number {
    return this.r;
  }
  twice(): number {
    return 2 * this.base();
  }
}

export class Ring extends Circle {
  base(): number {
    return 3 * this.r;
  }
}
