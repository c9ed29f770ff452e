#!/usr/bin/env python3
"""Scores `weeklens check` run as the editor runs it (the CLI on each issue file of the archive,
as a draft, against a store of the whole archive: check limits itself to the issues before the
draft's number) against the hand-judged pairs of tests/devset/check-judged.tsv (issue 17).

    B=$CARGO_TARGET_DIR/release/weeklens
    $B build --archive ARCHIVE --store /tmp/wl
    mkdir -p /tmp/chk-json
    for f in ARCHIVE/*-weekly.md; do
        $B check --store /tmp/wl "$f" --format json > /tmp/chk-json/$(basename "$f" .md).json
    done
    $B export issues --store /tmp/wl -o /tmp/issues.jsonl
    python3 tests/devset/score_check_cli.py /tmp/chk-json /tmp/issues.jsonl tests/devset/check-judged.tsv

A draft entry's match counts as raised when it is in `hits` (an older binary's only list, or
today's "already shared"), and as shown when it is in `hits` or `covered`.
"""
import json
import pathlib
import sys
from collections import defaultdict

out_dir, issues_file, judged_file = sys.argv[1:4]
number = {}
for line in open(issues_file, encoding="utf-8"):
    issue = json.loads(line)
    number[issue["source"][: -len(".md")]] = issue["issue"]

raised, shown = set(), set()
for path in sorted(pathlib.Path(out_dir).glob("*.json")):
    n = number.get(path.stem)
    if n is None:
        continue
    for result in json.loads(path.read_text(encoding="utf-8") or "[]"):
        draft = f"{n}:{result['category']}:{result['position']}"
        for key, into in (("hits", (raised, shown)), ("covered", (shown,))):
            for hit in result.get(key, []):
                pair = (draft, f"{hit['issue']}:{hit['category']}:{hit['position']}")
                for s in into:
                    s.add(pair)

score = defaultdict(lambda: [0, 0, 0])
for line in open(judged_file, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    draft, earlier, judgement, part = line.rstrip("\n").split("\t")
    slot = score[(part, judgement)]
    slot[0] += 1
    slot[1] += (draft, earlier) in raised
    slot[2] += (draft, earlier) in shown
print("| part | judged | pairs | raised | shown (any verdict) |")
print("|---|---|---:|---:|---:|")
for (part, judgement), (pairs, r, s) in sorted(score.items()):
    print(f"| {part} | {judgement} | {pairs} | {r} | {s} |")
print(f"\nraised in the whole replay: {len(raised)} pairs; shown: {len(shown)}")
