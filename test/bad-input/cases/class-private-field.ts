// expect: TSG2004 6:3
// args: --fn Account_value
// message: field 'rate' of class 'Account' is private or protected
// The derivative of a private field could not be read from outside the class.
export class Account {
  value(years: number): number {
    return Math.exp(this.rate * years);
  }
  constructor(private rate: number) {}
}
