"""Replay records for tsgrad's ht eval: small inputs cut from GradBench's complicated_small and
simple_small hand1 instances (the first V vertices, the triangles among them, a few
correspondences), with the outputs of GradBench's manual tool on them."""
import json, subprocess, sys, tempfile
from pathlib import Path
from gradbench.evals.ht import io

V, N = 60, 8
out = []
for variant in ["complicated", "simple"]:
    d = Path("evals/ht/data") / f"{variant}_small"
    inp = io.read_hand_instance(d / "model", next(d.glob("hand1_*.txt")), variant == "complicated").to_dict()
    m = inp["data"]["model"]
    m["base_positions"] = m["base_positions"][:V]
    m["weights"] = m["weights"][:V]
    m["triangles"] = [t for t in m["triangles"] if max(t) < V]
    data = inp["data"]
    data["points"] = data["points"][:N]
    if variant == "complicated":
        data["correspondences"] = [(7 * i) % len(m["triangles"]) for i in range(N)]
        inp["us"] = inp["us"][:N]
    else:
        data["correspondences"] = [(11 * i + 3) % V for i in range(N)]
    for function in ["objective", "jacobian"]:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(inp | {"min_runs": 1, "min_seconds": 0}, f)
            f.flush()
            proc = subprocess.run(["tools/manual/bin/ht", f.name, function], capture_output=True, text=True, check=True)
        output = json.loads(proc.stdout.splitlines()[0])
        out.append(json.dumps({"function": function, "description": f"{variant}_small hand1 cut to {V} vertices, {N} points", "input": inp, "output": output}, separators=(",", ":")))
Path(sys.argv[1]).write_text("\n".join(out) + "\n")
