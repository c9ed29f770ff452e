#!/usr/bin/env python3
"""Score `related` against the hand-judged set (tests/devset/related-judged.tsv).

    weeklens --store STORE related --all -k 5 --format jsonl > top5.jsonl
    python3 tests/devset/score_judged.py top5.jsonl [--list-unjudged]

Standard library only. A suggestion nobody has judged yet counts as `unjudged`, never as
relevant: read it and add a row (source `judged-later`) before quoting the figure.
"""
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def entry_id(r):
    return f"{r['issue']}:{r['category']}:{r['position']}"


def read_judged():
    """The judged set: each query's part (dev / held-out), and query -> candidate -> judgment."""
    judged = defaultdict(dict)
    part = {}
    with open(HERE / "related-judged-queries.tsv", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            part[row["query"]] = row["part"]
    with open(HERE / "related-judged.tsv", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            judged[row["query"]][row["candidate"]] = row["judgment"]
    return part, judged


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    list_unjudged = "--list-unjudged" in argv
    part, judged = read_judged()
    got = {}
    with open(argv[0]) as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{argv[0]}:{n}: not JSON: {e}")
            got[entry_id(r)] = [entry_id(x) for x in r["related"]][:5]
    unjudged = []
    for name in ("dev", "held-out", None):
        qs = [q for q in part if name in (None, part[q])]
        c = defaultdict(int)
        for q in qs:
            if q not in got:
                sys.exit(f"{argv[0]}: no line for query {q}")
            top = got[q]
            known = [k for k, v in judged[q].items() if v == "relevant"]
            for cand in top:
                j = judged[q].get(cand, "unjudged")
                c[j] += 1
                if j == "unjudged" and name is None:
                    unjudged.append((q, cand))
            c["empty"] += 5 - len(top)
            if known:
                c["empty_where_related_known"] += 5 - len(top)
                c["known"] += len(known)
                c["known_found"] += sum(1 for k in known if k in top)
        n = len(qs)
        print(
            f"{name or 'all'}: {n} queries, {5 * n} slots: relevant {c['relevant']}, weak {c['weak']}, "
            f"wrong {c['wrong']}, unjudged {c['unjudged']}, empty {c['empty']} "
            f"({c['empty_where_related_known']} where a relevant earlier entry is known); "
            f"precision@5 {c['relevant'] / (5 * n):.3f} (relevant + weak {(c['relevant'] + c['weak']) / (5 * n):.3f}); "
            f"known relevant in the top 5: {c['known_found']} of {c['known']} ({c['known_found'] / max(c['known'], 1):.3f})"
        )
    if list_unjudged:
        for q, cand in unjudged:
            print(f"unjudged\t{q}\t{cand}")


if __name__ == "__main__":
    main(sys.argv[1:])
