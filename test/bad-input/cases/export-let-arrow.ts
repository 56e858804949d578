// expect: TSG2012 5:12
// args: --fn f
// message: Function 'f' is skipped: it is declared with 'let' and can be reassigned
// A function in a let binding can be reassigned: not a stable definition to differentiate.
export let f = (x: number): number => x * x;
