#!/usr/bin/env python3
"""The choice of the hand-judged queries (JUDGED.md, "How the queries were chosen"), as code.

    weeklens --store STORE export entries --format jsonl -o entries.jsonl
    python3 tests/devset/choose_judged_queries.py entries.jsonl

Prints `query, part, chosen_by` in the order of related-judged-queries.tsv. Standard library only.
"""
import json
import re
import sys
from collections import defaultdict

# Subject patterns, matched against the Chinese and the English title (case-insensitive).
HARD = [
    ("asyncio", r"asyncio"), ("uv", r"\buv\b"), ("django", r"django"), ("rust", r"\brust\b"),
    ("fastapi", r"fastapi"), ("jit", r"\bjit\b"), ("pypy", r"pypy"),
    ("free-threading", r"自由线程|free.thread"), ("gil", r"\bgil\b"),
    ("subinterpreters", r"子解释器|subinterpreter"), ("httpx", r"httpx"), ("pep", r"pep[ -]?\d"),
    ("agent", r"智能体|\bagents?\b"), ("go", r"\bgo\b|golang"), ("claude", r"claude"),
    ("mcp", r"\bmcp\b"), ("pandas", r"pandas"), ("polars", r"polars"), ("pytest", r"pytest"),
    ("typing", r"类型提示|type hint"), ("flask", r"flask"), ("numpy", r"numpy"),
    ("cython", r"cython"), ("pip", r"\bpip\b"), ("textual", r"textual"),
    ("crawler", r"爬虫|scrap"), ("pycon", r"pycon"), ("3.14", r"3\.14"), ("3.13", r"3\.13"),
    ("jupyter", r"jupyter"), ("llm", r"\bllm"),
]
ISSUE16 = [("113:article:5", "asyncio"), ("123:article:5", "kill GIL")]
NAMED = [
    ("53:article:12", "pypy"), ("157:article:5", "pep836-jit"), ("150:article:4", "httpx2"),
    ("85:article:7", "django-vs-fastapi"), ("106:article:1", "multiple-interpreters"),
    ("134:article:4", "uv"), ("124:media:1", "go-rust"),
]


def eid(r):
    return f"{r['issue']}:{r['category']}:{r['position']}"


def main(path):
    entries = [json.loads(line) for line in open(path)]
    by = defaultdict(lambda: defaultdict(list))
    for r in entries:
        by[r["issue"]][r["category"]].append(r)
    chosen = []
    seen = set()

    def take(q, why):
        chosen.append((q, why))
        seen.add(q)

    for n in range(2, 159, 2):
        cat = ["article", "project", "article", "project", "media"][(n // 2) % 5]
        cats = by[n]
        if cat not in cats:
            cat = next(c for c in ["discussion", "book", "other", "article"] if c in cats)
        section = sorted(cats[cat], key=lambda r: r["position"])
        take(eid(section[(n * 7) % len(section)]), "spread")
    for q, why in ISSUE16:
        take(q, f"issue16:{why}")
    for name, pattern in HARD:
        p = re.compile(pattern, re.I)
        hits = [r for r in entries
                if (p.search(r["title"]) or p.search(r["en_title"] or "")) and eid(r) not in seen]
        hits.sort(key=lambda r: (r["issue"], r["category"], r["position"]))
        if hits:
            take(eid(hits[-1]), f"hard:{name}")
    for q, why in NAMED:
        take(q, f"issue16:{why}")
    for k, (q, why) in enumerate(chosen):
        print(f"{q}\t{'held-out' if k % 3 == 2 else 'dev'}\t{why}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
