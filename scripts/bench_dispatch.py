#!/usr/bin/env python3
"""Dispatch benchmark: Rounds vs PyVRP vs OR-Tools on Solomon VRPTW instances.

Not a test. Every solver gets the same wall-clock budget on one core, run one after the other.
Every route set is re-checked here in double precision (capacity, windows, depot hours, every
customer exactly once) and only what the routes really cost is reported.

    python3 scripts/bench_dispatch.py --seconds 10                 # smoke set
    python3 scripts/bench_dispatch.py --instances all --seconds 0.5

Objective (hierarchical, as in the best-known solutions): fewest vehicles, then distance.
Gap = (distance - best-known distance) / best-known distance, whatever the vehicle count;
the `bks` column says whether the best-known vehicle count was reached.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
DATA = ROOT / "vrptw" / "tests" / "data" / "solomon"  # SOURCES.md there names the source
SMOKE = ["C101", "C201", "R101", "R201", "RC101", "RC201"]
# Fixed-point scale for the peers' integer data; durations round up so that integer-feasible
# routes stay feasible in double precision, distances round to nearest.
SCALE = 10_000
EPS = 1e-6


def ensure_venv() -> None:
    """Re-runs this script inside .venv, creating it and installing the peers if needed."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import pyvrp, ortools"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "pyvrp", "ortools"], check=True
        )
    os.execv(str(python), [str(python), *sys.argv])


# ---------------------------------------------------------------- instances and checking


class Instance:
    def __init__(self, path: Path):
        self.name = path.stem
        lines = path.read_text().splitlines()
        nums = [l.split() for l in lines]
        rows = [r for r in nums if r and all(_is_number(t) for t in r)]
        self.vehicles, self.capacity = int(rows[0][0]), int(rows[0][1])
        cust = [list(map(float, r)) for r in rows[1:] if len(r) == 7]
        self.depot = cust[0]
        self.customers = cust[1:]
        self.ids = [int(c[0]) for c in self.customers]
        self.points = [(c[1], c[2]) for c in cust]  # 0 = depot

    def dist(self, a: int, b: int) -> float:
        return math.dist(self.points[a], self.points[b])


def _is_number(t: str) -> bool:
    try:
        float(t)
        return True
    except ValueError:
        return False


def check(inst: Instance, routes: list[list[int]]) -> tuple[int, float]:
    """Raises on any violation; returns (vehicles, distance) of the routes as given."""
    index = {cid: i + 1 for i, cid in enumerate(inst.ids)}
    seen: set[int] = set()
    total = 0.0
    used = 0
    for route in routes:
        if not route:
            continue
        used += 1
        at, t, load = 0, inst.depot[4], 0
        for cid in route:
            if cid not in index:
                raise ValueError(f"unknown customer {cid}")
            if cid in seen:
                raise ValueError(f"customer {cid} twice")
            seen.add(cid)
            i = index[cid]
            c = inst.customers[i - 1]
            leg = inst.dist(at, i)
            total += leg
            arrival = t + leg
            if arrival > c[5] + EPS:
                raise ValueError(f"customer {cid} reached at {arrival:.4f} after due {c[5]}")
            t = max(arrival, c[4]) + c[6]
            load += int(c[3])
            at = i
        leg = inst.dist(at, 0)
        total += leg
        if t + leg > inst.depot[5] + EPS:
            raise ValueError(f"route returns at {t + leg:.4f} after depot due {inst.depot[5]}")
        if load > inst.capacity:
            raise ValueError(f"route load {load} over capacity {inst.capacity}")
    missing = set(inst.ids) - seen
    if missing:
        raise ValueError(f"{len(missing)} customers not visited")
    if used > inst.vehicles:
        raise ValueError(f"{used} routes for {inst.vehicles} vehicles")
    return used, total


# ---------------------------------------------------------------- solvers


ROUNDS_EXTRA: list[str] = []


def run_rounds(inst: Instance, path: Path, seconds: float, seed: int) -> list[list[int]]:
    binary = ROOT / "target" / "release" / "server"
    out = subprocess.run(
        [str(binary), "solve", "--solomon", str(path), "--seconds", str(seconds), "--seed", str(seed)]
        + ROUNDS_EXTRA,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)["routes"]


def fleet_cost(inst: Instance) -> int:
    """A vehicle costs more than any route could save in distance: vehicles come first."""
    return int(SCALE * 2 * sum(inst.dist(0, i) for i in range(1, len(inst.points))))


def run_pyvrp(inst: Instance, path: Path, seconds: float, seed: int) -> list[list[int]]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    m = pyvrp.Model()
    locs = [m.add_location(x, y) for x, y in inst.points]
    d = inst.depot
    m.add_depot(locs[0], tw_early=round(d[4] * SCALE), tw_late=round(d[5] * SCALE))
    m.add_vehicle_type(
        inst.vehicles,
        capacity=inst.capacity,
        fixed_cost=fleet_cost(inst),
        tw_early=round(d[4] * SCALE),
        tw_late=round(d[5] * SCALE),
    )
    for i, c in enumerate(inst.customers):
        m.add_client(
            locs[i + 1],
            delivery=int(c[3]),
            service_duration=round(c[6] * SCALE),
            tw_early=round(c[4] * SCALE),
            tw_late=round(c[5] * SCALE),
        )
    for a, la in enumerate(locs):
        for b, lb in enumerate(locs):
            if a != b:
                dd = inst.dist(a, b) * SCALE
                m.add_edge(la, lb, distance=round(dd), duration=math.ceil(dd))
    res = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    return [[inst.ids[a.idx] for a in r if a.is_client()] for r in res.best.routes()]


def run_ortools(inst: Instance, path: Path, seconds: float, seed: int) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(inst.points)
    manager = pywrapcp.RoutingIndexManager(n, inst.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist = [[round(inst.dist(a, b) * SCALE) for b in range(n)] for a in range(n)]
    service = [0] + [round(c[6] * SCALE) for c in inst.customers]
    travel = [[math.ceil(inst.dist(a, b) * SCALE) + service[a] for b in range(n)] for a in range(n)]
    demand = [0] + [int(c[3]) for c in inst.customers]

    def dist_cb(i, j):
        return dist[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i, j):
        return travel[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def demand_cb(i):
        return demand[manager.IndexToNode(i)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(dist_cb))
    routing.SetFixedCostOfAllVehicles(fleet_cost(inst))
    horizon = round(inst.depot[5] * SCALE)
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for i, c in enumerate(inst.customers):
        time_dim.CumulVar(manager.NodeToIndex(i + 1)).SetRange(round(c[4] * SCALE), round(c[5] * SCALE))
    for v in range(inst.vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(round(inst.depot[4] * SCALE), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(round(inst.depot[4] * SCALE), horizon)
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand_cb), 0, [inst.capacity] * inst.vehicles, True, "Load"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        raise ValueError("no solution found")
    routes = []
    for v in range(inst.vehicles):
        i = solution.Value(routing.NextVar(routing.Start(v)))
        route = []
        while not routing.IsEnd(i):
            route.append(inst.ids[manager.IndexToNode(i) - 1])
            i = solution.Value(routing.NextVar(i))
        routes.append(route)
    return routes


SOLVERS = {"rounds": run_rounds, "pyvrp": run_pyvrp, "ortools": run_ortools}


# ---------------------------------------------------------------- report


def load_bks() -> dict[str, tuple[int, float, str]]:
    with open(DATA / "bks.csv") as f:
        return {
            r["instance"]: (int(r["hier_vehicles"]), float(r["hier_distance"]), r["class"])
            for r in csv.DictReader(f)
        }


def fmt(res: dict | None) -> str:
    if res is None or "error" in res:
        return f"{'failed':>26}"
    hit = "*" if res["bks_hit"] else " "
    return f"{res['vehicles']:>3}{hit} {res['distance']:>9.2f} {res['gap']:>6.2f}% {res['time']:>5.1f}s"


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=10.0, help="budget per instance and solver")
    ap.add_argument(
        "--instances",
        default="smoke",
        help="'smoke' (C101,C201,R101,R201,RC101,RC201), 'all' (56), a class like 'R1', or a comma list",
    )
    ap.add_argument("--solvers", default="rounds,pyvrp,ortools")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--rounds-args", default="", help="extra tuning flags for `server solve`")
    args = ap.parse_args()
    ROUNDS_EXTRA.extend(args.rounds_args.split())

    bks = load_bks()
    if args.instances == "smoke":
        names = SMOKE
    elif args.instances == "all":
        names = list(bks)
    elif args.instances in {v[2] for v in bks.values()}:
        names = [k for k, v in bks.items() if v[2] == args.instances]
    else:
        names = [n.strip().upper() for n in args.instances.split(",") if n.strip()]
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]

    if "rounds" in solvers and not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "server"], cwd=ROOT, check=True)

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    results: dict[str, dict[str, dict]] = {}
    print(f"budget {args.seconds:g} s per instance and solver, one at a time, seed {args.seed}")
    print("columns: vehicles (* = best-known count) distance gap-to-BKS time; gap ignores vehicles\n")
    header = f"{'inst':<6} {'BKS':>13} " + " ".join(f"{s:^26}" for s in solvers)
    print(header)
    for name in names:
        path = DATA / f"{name}.txt"
        inst = Instance(path)
        bv, bd, _ = bks[name]
        row = {}
        for s in solvers:
            started = time.perf_counter()
            try:
                routes = SOLVERS[s](inst, path, args.seconds, args.seed)
                elapsed = time.perf_counter() - started
                vehicles, distance = check(inst, routes)
                row[s] = {
                    "vehicles": vehicles,
                    "distance": distance,
                    "gap": 100.0 * (distance - bd) / bd,
                    "bks_hit": vehicles <= bv,
                    "time": elapsed,
                }
            except Exception as e:  # a failure is a result too: report it, keep going
                row[s] = {"error": str(e)}
                print(f"  {name} {s}: {e}", file=sys.stderr)
        results[name] = row
        print(f"{name:<6} {bv:>3} {bd:>9.2f} " + " ".join(fmt(row.get(s)) for s in solvers), flush=True)

    print("\nper class (mean gap; count of best-known vehicle counts)")
    classes: dict[str, list[str]] = {}
    for name in names:
        classes.setdefault(bks[name][2], []).append(name)
    print(f"{'class':<6} {'n':>3} " + " ".join(f"{s:^22}" for s in solvers))
    for cls, members in classes.items():
        cells = []
        for s in solvers:
            ok = [results[n][s] for n in members if "error" not in results[n][s]]
            hits = sum(r["bks_hit"] for r in ok)
            cells.append(f"{mean([r['gap'] for r in ok]):>8.2f}% {hits:>3}/{len(members):<3} {len(ok):>3}ok")
        print(f"{cls:<6} {len(members):>3} " + " ".join(f"{c:^22}" for c in cells))

    def summary(s: str) -> tuple[int, float]:
        ok = [results[n][s] for n in names if s in results[n] and "error" not in results[n][s]]
        if len(ok) < len(names):
            return sum(r["bks_hit"] for r in ok), float("nan")
        return sum(r["bks_hit"] for r in ok), mean([r["gap"] for r in ok])

    label = "smoke" if names == SMOKE else ("all" if len(names) == len(bks) else "set")
    secs = f"{args.seconds:g}s"
    parts = []
    if "rounds" in solvers:
        hits, gap = summary("rounds")
        parts += [f"{label}{secs}_bks={hits}/{len(names)}", f"{label}{secs}_gap={gap:.2f}%"]
    for s in ("ortools", "pyvrp"):
        if s in solvers:
            parts.append(f"{s}{secs}_gap={summary(s)[1]:.2f}%")
    print("\ndispatch-bench: " + " ".join(parts))


if __name__ == "__main__":
    ensure_venv()
    main()
