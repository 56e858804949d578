/** GradBench's `lse` eval: LogSumExp and its gradient. */
import { logsumexp } from "../models/lse.js";
import { logsumexp_grad_into } from "../models/lse.grad.js";
import { vectorEval } from "./vector.js";

export const lse = vectorEval(undefined, logsumexp, (x, _count, grad) => logsumexp_grad_into(x, grad));
