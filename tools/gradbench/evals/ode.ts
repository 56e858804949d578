/** GradBench's `ode` eval: `s` Runge-Kutta steps, and the gradient of the last element of the result. */
import { ode as solve } from "../models/ode.js";
import { odeLast_grad_into } from "../models/ode.grad.js";
import { vectorEval } from "./vector.js";

export const ode = vectorEval("s", solve, odeLast_grad_into);
