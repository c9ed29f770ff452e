#!/usr/bin/env python3
"""Session 14's harness for a multilingual embedding channel (issue 16, item 6): the lexical
ranking and the embedding's variants (alone, additive, z-scored, re-rank, fill, reciprocal-rank
fusion, gated RRF), measured by `related-channels.py`'s store, sets and measures (with its "JR"
figure: the judged set read like the blind set, its relevant pairs as the truth, recall@10 and
MRR; and each variant's moves against main).

    python3 related-embedding.py STORE [--part dev|held-out] --embedding FILE.npy [--only NAME] [--list-unjudged]

FILE.npy: one vector per entry in the store's row order (`embed-e5.py`). QUALITY.md ("Related:
session 14") holds the figures.
"""

import argparse
import importlib.util
from pathlib import Path

import numpy as np

# The store, the sets, the measures and the named cases are session 12's harness's.
_spec = importlib.util.spec_from_file_location("channels", Path(__file__).resolve().parent / "related-channels.py")
channels = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(channels)
MIN_SCORE = channels.MIN_SCORE


def ranks_of(values, mask):
    """1-based rank of each entry by `values` among `mask` (others: a huge rank)."""
    v = np.where(mask, values, -np.inf)
    order = np.argsort(-v, kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(1, len(v) + 1)
    return np.where(mask, r, 1e9)


def variants(store, embedding):
    """(name, scores(i), min score): lexical, then the embedding channel alone and fused."""
    a = store.a
    s = a @ a.T
    yield "lexical (main)", lambda i: s[i], MIN_SCORE
    if embedding is None:
        return
    c = embedding @ embedding.T
    # per-query standardised cosine: z = (cos − mean) / sd over the query's earlier entries
    def zs(i):
        e = store.earlier[i]
        if not e.any():
            return np.zeros(len(c[i]))
        m, sd = c[i][e].mean(), c[i][e].std() + 1e-9
        return (c[i] - m) / sd
    yield "E alone", lambda i: c[i] + 1.0, MIN_SCORE
    # additive, above a floor b (e5 cosines of unrelated texts sit near 0.75-0.8)
    for b in (0.80, 0.85, 0.88):
        for lam in (0.3, 0.6, 1.0):
            yield f"E add: score + {lam}·max(cos − {b}, 0)", (lambda i, lam=lam, b=b: s[i] + lam * np.maximum(c[i] - b, 0)), MIN_SCORE
    # reciprocal-rank fusion: lexical candidates (score ≥ 0.1) and the embedding's ranking of every earlier entry
    for k, w in ((5, 0.2), (5, 0.3), (10, 0.2), (10, 0.3), (20, 0.3), (5, 0.5)):
        def rrf2(i, k=k, w=w):
            earlier = store.earlier[i]
            rl = ranks_of(s[i], earlier & (s[i] >= MIN_SCORE))
            re = ranks_of(c[i], earlier)
            return 1.0 / (k + rl) + w / (k + re)
        yield f"E RRF k {k}, w {w}", rrf2, 0.0
    # the same, but only lexical candidates (score ≥ 0.1) and entries the embedding puts at z ≥ z0 may be shown
    for k, w, z0 in ((10, 0.2, 3.0), (10, 0.2, 4.0), (10, 0.3, 3.0), (10, 0.5, 3.0), (10, 0.5, 4.0), (20, 0.3, 3.0)):
        def rrf_g(i, k=k, w=w, z0=z0):
            earlier = store.earlier[i]
            rl = ranks_of(s[i], earlier & (s[i] >= MIN_SCORE))
            re = ranks_of(c[i], earlier)
            ok = (s[i] >= MIN_SCORE) | (zs(i) >= z0)
            return np.where(ok, 1.0 / (k + rl) + w / (k + re), -1.0)
        yield f"E RRF gated k {k}, w {w}, z ≥ {z0}", rrf_g, 0.0
    for k in (10, 30, 60):
        for w in (0.5, 1.0):
            def rrf(i, k=k, w=w):
                earlier = store.earlier[i]
                rl = ranks_of(s[i], earlier & (s[i] >= MIN_SCORE))
                re = ranks_of(c[i], earlier)
                return 1.0 / (k + rl) + w / (k + re)
            yield f"E RRF k {k}, w {w}", rrf, 0.0
    for z0 in (2.0, 3.0):
        for lam in (0.02, 0.05, 0.1):
            yield f"E z-add: score + {lam}·max(z − {z0}, 0)", (lambda i, lam=lam, z0=z0: s[i] + lam * np.maximum(zs(i) - z0, 0)), MIN_SCORE
    # re-rank the lexical candidates only (no new suggestion can appear)
    for lam in (0.01, 0.02, 0.05):
        yield f"E rerank: lexical candidates by score + {lam}·z", (lambda i, lam=lam: np.where(s[i] >= MIN_SCORE, s[i] + lam * zs(i) + 1.0, -1.0)), MIN_SCORE
    # lexical answers first, then fill the empty slots from the embedding (z ≥ z0)
    for z0 in (3.0, 4.0):
        yield f"E fill: lexical, then embedding with z ≥ {z0}", (lambda i, z0=z0: np.where(s[i] >= MIN_SCORE, s[i] + 1.0, np.where(zs(i) >= z0, zs(i) / 100, -1.0))), 0.0
    # RRF of two short lists (each channel's top n), the usual form
    for n, k, w in ((10, 60, 1.0), (20, 60, 1.0), (10, 60, 0.5), (20, 60, 0.5), (10, 10, 0.5)):
        def rrf_n(i, n=n, k=k, w=w):
            earlier = store.earlier[i]
            rl = ranks_of(s[i], earlier & (s[i] >= MIN_SCORE))
            re = ranks_of(c[i], earlier)
            fused = np.where(rl <= n, 1.0 / (k + rl), 0.0) + np.where(re <= n, w / (k + re), 0.0)
            return np.where(fused > 0, fused, -1.0)
        yield f"E RRF of top {n} lists, k {k}, w {w}", rrf_n, 0.0
    # RRF whose embedding side only counts entries with cos ≥ t (no pure-embedding filler)
    for k, w, t in ((60, 1.0, 0.85), (30, 1.0, 0.85), (60, 0.5, 0.85), (60, 1.0, 0.88)):
        def rrf_t(i, k=k, w=w, t=t):
            earlier = store.earlier[i]
            rl = ranks_of(s[i], earlier & (s[i] >= MIN_SCORE))
            re = ranks_of(c[i], earlier)
            fused = 1.0 / (k + rl) + np.where(c[i] >= t, w / (k + re), 0.0)
            return np.where((s[i] >= MIN_SCORE) | (c[i] >= t), fused, -1.0)
        yield f"E RRF k {k}, w {w}, cos ≥ {t}", rrf_t, 0.0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("store")
    p.add_argument("--part", default="dev", choices=["dev", "held-out"])
    p.add_argument("--only", help="run the variants whose name holds this text")
    p.add_argument("--embedding", required=True, help="per-entry vectors (.npy, store row order)")
    p.add_argument("--list-unjudged", action="store_true")
    args = p.parse_args()
    store = channels.Store(args.store)
    sets = channels.read_sets()
    queries = sorted(set(sets[0]) | set(sets[2]) | set(channels.NAMED))
    embedding = np.load(args.embedding)
    for name, scores, floor in variants(store, embedding):
        if args.only and args.only not in name and name != "lexical (main)":
            continue
        answers = {q: store.answer(store.row_of[q], scores(store.row_of[q]), min_score=floor) for q in queries}
        unjudged = set()
        print(f"{name}: {channels.measure(answers, args.part, sets, unjudged)}")
        if name == "lexical (main)":
            base = answers
        else:
            print("    vs main: " + channels.compare(base, answers, args.part, sets))
        print(f"    named: {channels.named_ranks(store, scores)}")
        if args.list_unjudged:
            for q, x in sorted(unjudged):
                print(f"unjudged\t{q}\t{x}")


if __name__ == "__main__":
    main()
