// Types of the module tsgrad generates from arm.ts at build time (./arm.grad), for editors.
// Written by the tsgrad bundler plugin; do not edit. (Option declarations: false turns it off.)
/**
 * Reverse mode without allocation: adds the gradient of `reachLoss` into `grad` and returns the value.
 * Arrays in `grad` are accumulated in place and numbers incremented: zero them first for a plain gradient.
 * Active parameters: `t1`, `t2`, `t3`, `tx`, `ty`.
 */
export declare function reachLoss_grad_into(t1: number, t2: number, t3: number, tx: number, ty: number, grad: {
    t1: number;
    t2: number;
    t3: number;
    tx: number;
    ty: number;
}): number;
/**
 * Reverse mode: the value of `reachLoss` and its gradient with respect to each parameter.
 * Active parameters: `t1`, `t2`, `t3`, `tx`, `ty`.
 */
export declare function reachLoss_grad(t1: number, t2: number, t3: number, tx: number, ty: number): {
    value: number;
    grad: {
        t1: number;
        t2: number;
        t3: number;
        tx: number;
        ty: number;
    };
};
/**
 * Forward mode: the value of `reachLoss` and its directional derivative along `tangents`
 * (a missing tangent counts as zero).
 * Active parameters: `t1`, `t2`, `t3`, `tx`, `ty`.
 */
export declare function reachLoss_jvp(t1: number, t2: number, t3: number, tx: number, ty: number, tangents: {
    t1?: number;
    t2?: number;
    t3?: number;
    tx?: number;
    ty?: number;
}): {
    value: number;
    tangent: number;
};
