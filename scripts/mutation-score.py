#!/usr/bin/env python3
"""The mutation score of a PIT run, per package, from target/pit-reports/mutations.xml.

Prints one row per package (and the issue's two groupings), the mutants PIT made, how many the
tests detected (killed, timed out or crashed), how many survived and how many no test covered.
With --min P, exits 1 if a package named by --require is below P percent detected.
With --survivors, lists each surviving or uncovered mutant: class, method, line, mutator, what it did.
"""
import argparse
import collections
import sys
import xml.etree.ElementTree as ET

parser = argparse.ArgumentParser()
parser.add_argument("report", nargs="?", default="target/pit-reports/mutations.xml")
parser.add_argument("--min", type=float, default=None, help="lowest percentage detected that passes")
parser.add_argument("--require", default="model,train,data,sample,check,io",
                    help="packages (after charrnn.) that must reach --min")
parser.add_argument("--survivors", action="store_true", help="list the mutants that were not detected")
args = parser.parse_args()

KERNELS = {"charrnn.model.Kernels", "charrnn.model.PlainKernels", "charrnn.model.VectorKernels"}
# the issue's two rows, by class
ROW_MODEL = {"charrnn.model.Rnn", "charrnn.model.PlainKernels", "charrnn.model.Params",
             "charrnn.model.BatchRnn", "charrnn.train.Adagrad"}


def issue_row_data(cls):
    pkg = cls.rsplit(".", 1)[0]
    return pkg in ("charrnn.data", "charrnn.sample", "charrnn.check") or cls in (
        "charrnn.train.Trainer", "charrnn.train.Evaluator")


mutations = []
for m in ET.parse(args.report).getroot():
    cls = m.findtext("mutatedClass").split("$", 1)[0]
    mutations.append({
        "class": cls,
        "method": m.findtext("mutatedMethod"),
        "line": int(m.findtext("lineNumber")),
        "mutator": m.findtext("mutator").rsplit(".", 1)[-1],
        "description": m.findtext("description"),
        "status": m.get("status"),
        "detected": m.get("detected") == "true",
    })

rows = collections.OrderedDict()


def count(row, m):
    r = rows.setdefault(row, [0, 0, 0, 0])
    r[0] += 1
    if m["detected"]:
        r[1] += 1
    elif m["status"] == "NO_COVERAGE":
        r[3] += 1
    else:
        r[2] += 1


for m in sorted(mutations, key=lambda m: m["class"]):
    pkg = m["class"].split(".")[1]
    count(pkg, m)
    if pkg == "model" and m["class"] not in KERNELS:
        count("model without the kernels", m)
for m in mutations:
    if m["class"] in ROW_MODEL:
        count("issue row 1: Rnn, PlainKernels, Params, BatchRnn, Adagrad", m)
    if issue_row_data(m["class"]):
        count("issue row 2: data, sample, Trainer, Evaluator, check", m)

print("| classes | mutants | killed | survived | no coverage | killed % |")
print("|---|---|---|---|---|---|")
for name, (n, killed, survived, uncovered) in rows.items():
    print(f"| {name} | {n} | {killed} | {survived} | {uncovered} | {100.0 * killed / n:.1f} |")

if args.survivors:
    print()
    for m in sorted(mutations, key=lambda m: (m["class"], m["line"])):
        if not m["detected"]:
            print(f'{m["status"]:12} {m["class"]}.{m["method"]}:{m["line"]}  {m["mutator"]}: {m["description"]}')

if args.min is not None:
    failed = [p for p in args.require.split(",") if p in rows and 100.0 * rows[p][1] / rows[p][0] < args.min]
    if failed:
        print(f"mutation score below {args.min:g}% in: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)
