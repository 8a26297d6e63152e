"""Optuna peer for tools/bench/controller.bench.ts (spoken to by tools/bench/peers/optuna.ts).

One study per process run, maximising the reward, driven over JSON lines on stdin/stdout. The
problem (its feasibility masks and its reward) stays in TypeScript: this process only proposes.

  -> {"op": "init", "sampler": "tpe" | "nsga2" | "random", "seed": 0,
      "decisions": [{"name": "d0", "choices": 4, "constrained": false}, ...]}
  <- {"ok": true, "optuna": "5.0.0"}
  -> {"op": "ask", "n": 10}
     for each trial, decisions in space order; for a constrained decision the peer asks
  <- {"mask": [index of each earlier decision's choice]}
  -> {"mask": [true, false, ...]}          (SearchSpace.feasibleMask, computed by the bench)
  <- {"candidates": [[choice index per decision], ...]}
  -> {"op": "tell", "values": [reward per candidate of the last ask]}
  <- {"ok": true}
  -> {"op": "close"}

Optuna categoricals cannot change their choice list between trials, so a constrained decision
whose mask is not all-true is suggested under a conditional name, `<decision>|<mask bits>`, with
only the allowed choice indices (TPE/NSGA-II then model each mask context separately); an
all-true mask uses the plain name.
"""
import json
import sys


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def recv():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def make_sampler(optuna, name, seed):
    if name == "tpe":
        # Multivariate TPE over groups of parameters that co-occur (conditional names).
        return optuna.samplers.TPESampler(multivariate=True, group=True, seed=seed)
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError("unknown sampler %r (tpe, nsga2, random)" % name)


def main():
    import warnings

    import optuna

    warnings.filterwarnings("ignore")  # multivariate/group are flagged experimental
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    init = recv()
    assert init.get("op") == "init", init
    decisions = init["decisions"]
    study = optuna.create_study(direction="maximize", sampler=make_sampler(optuna, init["sampler"], int(init["seed"])))
    send({"ok": True, "optuna": optuna.__version__})
    pending = []
    while True:
        msg = recv()
        op = msg.get("op")
        if op == "ask":
            pending = []
            out = []
            for _ in range(int(msg["n"])):
                trial = study.ask()
                idx = []
                for d in decisions:
                    allowed = list(range(d["choices"]))
                    name = d["name"]
                    if d["constrained"]:
                        send({"mask": idx})
                        mask = recv()["mask"]
                        if not all(mask):
                            allowed = [i for i, ok in enumerate(mask) if ok]
                            name = "%s|%s" % (name, "".join("1" if ok else "0" for ok in mask))
                    idx.append(allowed[0] if len(allowed) == 1 else trial.suggest_categorical(name, allowed))
                pending.append(trial)
                out.append(idx)
            send({"candidates": out})
        elif op == "tell":
            for trial, value in zip(pending, msg["values"]):
                study.tell(trial, float(value))
            pending = []
            send({"ok": True})
        elif op == "close":
            return
        else:
            raise ValueError("unknown op %r" % op)


if __name__ == "__main__":
    main()
