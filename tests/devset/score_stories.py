#!/usr/bin/env python3
"""Scores `weeklens trends` stories against tests/devset/stories.tsv (issue 21).

usage: score_stories.py WEEKLENS STORE [dev|held-out|all]

For each window of the file, runs `weeklens trends --from A --to B --format json` and reports
- found: stories of the set with most (more than half) of their entries in one story of trends;
- matched: stories of trends with more than half of their entries in one story of the set (a lower
  bound of "stories we would name": the rest are read by hand, QUALITY.md).
"""
import json
import subprocess
import sys
from collections import defaultdict

binary, store = sys.argv[1], sys.argv[2]
part = sys.argv[3] if len(sys.argv) > 3 else "all"
windows = defaultdict(list)
for line in open("tests/devset/stories.tsv", encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    window, p, name, entries = line.rstrip("\n").split("\t")
    if part in ("all", p):
        windows[window].append((name, set(entries.split(","))))

total_found = total_dev = total_matched = total_stories = 0
for window, dev in windows.items():
    a, b = window.split("-")
    out = subprocess.run(
        [binary, "--store", store, "trends", "--from", a, "--to", b, "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    stories = json.loads(out)["stories"]
    found = 0
    for name, entries in dev:
        best = max((len(entries & set(s["entries"])) for s in stories), default=0)
        ok = best * 2 > len(entries)
        found += ok
        print(f"  {'+' if ok else '-'} {window} {name} ({best}/{len(entries)})")
    matched = 0
    for s in stories:
        ids = set(s["entries"])
        best = max((len(ids & e) for _, e in dev), default=0)
        ok = best * 2 > len(ids)
        matched += ok
        print(f"  {'=' if ok else '?'} {window} story: {s['name_zh']} / {s['name']} ({best}/{len(ids)})")
    print(f"{window}: found {found}/{len(dev)} stories of the set; {matched}/{len(stories)} stories match one")
    total_found += found
    total_dev += len(dev)
    total_matched += matched
    total_stories += len(stories)
print(f"total: found {total_found}/{total_dev}; matched {total_matched}/{total_stories}")
