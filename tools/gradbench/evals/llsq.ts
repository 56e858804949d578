/** GradBench's `llsq` eval: the least-squares objective at `n` points and its gradient in x. */
import { llsq as objective } from "../models/llsq.js";
import { llsq_grad_into } from "../models/llsq.grad.js";
import { vectorEval } from "./vector.js";

export const llsq = vectorEval("n", objective, llsq_grad_into);
