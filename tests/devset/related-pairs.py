#!/usr/bin/env python3
"""One word and its translation counted as one match (issue 16, item 2), simulated offline.

    python3 related-pairs.py STORE [--pair-min N] [--part dev|held-out] [--only NAME] [--list-unjudged]
    python3 related-pairs.py STORE --pair-min 2 --first-places   # what carries the first places
    python3 related-pairs.py STORE --pair-min 2 --pairs          # the learned pairs, shown forms

Every entry is bilingual, so an ordinary word shared by two entries is usually two shared terms
(杀死 + kill), while a name is one (GIL). The translation pairs are learned from the archive's own
titles as the report learns them (`report::summary::pair_terms`: an English term of the
translated titles and a Chinese term of the titles, each the other's best match by Dice's
coefficient, in at least `--pair-min` titles — 3 as the report, 2 for QUALITY.md's figures —
covering at least half of both), over the store's
`translations.parquet`. Each variant changes the ranking rows (`related.parquet`) and re-ranks
with the same measures as `related-channels.py` (mined recall@5 / recall@10 / MRR, k 10, min
score 0.1; judged shown, relevant / weak / wrong of shown, unjudged; the judged first places).
Variants: (b) a pair folded into one dimension (`fold`), (c) its terms damped where a row holds
both (`damp`), (a) the mean of a Chinese-side and an English-side cosine (`two sides`), names
held by many entries back to a plain word's weight (`common names`), and a translated word no
name (`translated`: the column divided by the name weight, where the build applies it before the
title weighting; on the real archive it gives branch related-13-translations' mined figures to
the last digit). QUALITY.md ("Related: session 13") holds the figures. Needs numpy and pyarrow.
"""
import argparse
import collections
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("channels", HERE / "related-channels.py")
channels = importlib.util.module_from_spec(spec)
spec.loader.exec_module(channels)

PAIR_MIN = 3
PAIR_DICE = 0.5


def learn_pairs(store_path, live, pair_min=PAIR_MIN):
    """English term -> Chinese term, as `report::summary::pair_terms` over every titled entry."""
    g = sorted(Path(store_path).glob("g-*"))[-1]
    t = pq.read_table(g / "translations.parquet").to_pydict()
    zh, en = collections.defaultdict(list), collections.defaultdict(list)
    for r, term, w in zip(t["row"], t["term"], t["weight"]):
        if not live[r]:
            continue
        (zh if w == 1.0 else en)[r].append(term)
    rows = sorted(set(zh) | set(en))
    zn, en_n = collections.Counter(), collections.Counter()
    for r in rows:
        zn.update(zh[r])
        en_n.update(en[r])
    both = collections.Counter()
    for r in rows:
        zs = [z for z in zh[r] if zn[z] >= pair_min]
        es = [e for e in en[r] if en_n[e] >= pair_min]
        for e in es:
            for z in zs:
                both[(z, e)] += 1
    best_zh, best_en = {}, {}
    for (z, e), n in both.items():
        if n < pair_min:
            continue
        d = 2 * n / (zn[z] + en_n[e])
        if e not in best_zh or d > best_zh[e][0] or (d == best_zh[e][0] and z < best_zh[e][1]):
            best_zh[e] = (d, z)
        if z not in best_en or d > best_en[z][0] or (d == best_en[z][0] and e < best_en[z][1]):
            best_en[z] = (d, e)
    return {e: z for e, (d, z) in best_zh.items() if d >= PAIR_DICE and best_en[z][1] == e}


def unit(a):
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)


def fold(a, pairs, how):
    """Each pair's two columns as one (the Chinese term's), the English column emptied."""
    b = a.copy()
    for e, z in pairs.items():
        x, y = b[:, z], b[:, e]
        if how == "max":
            v = np.maximum(x, y)
        elif how == "rms":
            v = np.sqrt((x * x + y * y) / 2)
        elif how == "l2":
            v = np.sqrt(x * x + y * y)
        b[:, z] = v
        b[:, e] = 0
    return unit(b)


def damp(a, pairs, f, side="both"):
    """Where a row holds both terms of a pair, both (or the English one) times f."""
    b = a.copy()
    for e, z in pairs.items():
        has = (b[:, z] > 0) & (b[:, e] > 0)
        b[has, e] *= f
        if side == "both":
            b[has, z] *= f
    return unit(b)


def damp_to_max(a, pairs):
    """Where a row holds both terms of a pair, both scaled so the pair weighs as its larger term."""
    b = a.copy()
    for e, z in pairs.items():
        x, y = b[:, z], b[:, e]
        has = (x > 0) & (y > 0)
        s = np.ones_like(x)
        s[has] = np.maximum(x[has], y[has]) / np.sqrt(x[has] ** 2 + y[has] ** 2)
        b[:, z] *= s
        b[:, e] *= s
    return unit(b)


def common_names_down(a, common):
    """The columns of names held by many entries back to a plain word's weight (÷ 1.3)."""
    b = a.copy()
    b[:, common] /= 1.3
    return unit(b)


def two_sides(a, cjk, latin_names, latin, _is_name=None):
    """(a): the mean of a Chinese-side cosine (Chinese terms and names) and an English-side
    cosine (Latin terms), as one row: the two unit halves side by side, each over √2."""
    zh = np.zeros_like(a)
    zh[:, cjk] = a[:, cjk]
    zh[:, latin_names] = a[:, latin_names]
    en = np.zeros_like(a)
    en[:, latin] = a[:, latin]
    # a row with one side empty keeps the other whole
    zn, enn = np.linalg.norm(zh, axis=1), np.linalg.norm(en, axis=1)
    both = (zn > 0) & (enn > 0)
    w = np.where(both, 1 / np.sqrt(2), 1.0)[:, None]
    return np.hstack([unit(zh) * w, unit(en) * w])


def variants(a, pairs, extra, common=None, sides=None):
    yield "lexical (main)", a
    if sides is not None:
        yield "two sides", two_sides(a, *sides)
        is_name = sides[3]
        paired_names = np.array([e for e in pairs if is_name[e]], dtype=int)
        if len(paired_names):
            base = common_names_down(a, paired_names)
            yield f"translated, not a name ({len(paired_names)} terms)", base
            for f in (0.8, 0.9):
                yield f"translated, not a name + damp both {f}", damp(base, pairs, f)
                yield f"translated, not a name + damp en {f}", damp(base, pairs, f, "en")
    if common is not None:
        c1 = common["df > 1%"]
        for cn in ("", "common names (df > 1%) plain + "):
            if cn:
                yield "grid: common names (df > 0.5%) plain + damp both 0.8", damp(common_names_down(a, common["df > 0.5%"]), pairs, 0.8)
                yield "grid: common names (df > 1%) ÷ 1.69 + damp both 0.8", damp(common_names_down(common_names_down(a, c1), c1), pairs, 0.8)
            base = common_names_down(a, c1) if cn else a
            for f in (0.8, 0.85, 0.9):
                for side in ("both", "en"):
                    for asy in (False, True):
                        ps = dict(pairs)
                        if asy:
                            ps.update(extra)
                        yield f"grid: {cn}damp {side} {f}{' + async' if asy else ''}", damp(base, ps, f, side)
        both = dict(pairs)
        both.update(extra)
        for n, c in common.items():
            yield f"common names ({n}) plain", common_names_down(a, c)
            yield f"common names ({n}) plain + damp both 0.707 + async", damp(common_names_down(a, c), both, 0.707)
            yield f"common names ({n}) plain + damp both 0.8 + async", damp(common_names_down(a, c), both, 0.8)
    for how in ("max", "rms", "l2"):
        yield f"fold {how}", fold(a, pairs, how)
    for f in (0.6, 0.707, 0.8, 0.9):
        yield f"damp both {f}", damp(a, pairs, f)
        yield f"damp en {f}", damp(a, pairs, f, "en")
    yield "damp to max", damp_to_max(a, pairs)
    if extra:
        both = dict(pairs)
        both.update(extra)
        for f in (0.707, 0.8):
            yield f"damp both {f} + async", damp(a, both, f)
        yield "async only", damp(a, extra, 0.707)
        yield "fold max + async", fold(a, both, "max")


def first_places(store, pairs, sets, shown):
    """Step 1: dev judged first places by label, and how many a translated pair carries."""
    _, _, jpart, judged = sets
    a = store.a
    zh_of = pairs
    counts = collections.defaultdict(collections.Counter)
    examples = collections.defaultdict(list)
    for q, p in sorted(jpart.items()):
        i = store.row_of[q]
        ans = store.answer(i, a @ a[i])
        if not ans:
            continue
        x = ans[0]
        j = judged[q].get(x, "unjudged")
        k = store.row_of[x]
        contrib = a[i] * a[k]
        score = contrib.sum()
        pair_c = {e: contrib[e] + contrib[z] for e, z in zh_of.items() if contrib[e] > 0 and contrib[z] > 0}
        top = max(pair_c.values(), default=0.0)
        best_single = np.sort(contrib)[::-1]
        heaviest_concept = max(
            [top] + [c for t, c in enumerate(contrib) if c > 0 and t not in zh_of and t not in zh_of.values()]
            + [contrib[t] for t in zh_of if contrib[t] > 0 and contrib[zh_of[t]] == 0]
            + [contrib[z] for e, z in zh_of.items() if contrib[z] > 0 and contrib[e] == 0])
        c = counts[(p, j)]
        c["first"] += 1
        if pair_c:
            c["holds a pair"] += 1
        if pair_c and top >= heaviest_concept:
            c["a pair is the heaviest"] += 1
        if pair_c and top >= 0.5 * score:
            c["a pair is half the score"] += 1
        if pair_c:
            words = " ".join(f"{shown[zh_of[e]]}/{shown[e]} {pair_c[e] / score:.2f}" for e in pair_c)
            examples[(p, j)].append(f"{q} -> {x} ({score:.3f}): {words}")
    for key in sorted(counts):
        print(key, dict(counts[key]))
    for key in sorted(examples):
        for line in examples[key]:
            print(key[0], key[1], line)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("store")
    p.add_argument("--part", default="dev", choices=["dev", "held-out"])
    p.add_argument("--only")
    p.add_argument("--list-unjudged", action="store_true")
    p.add_argument("--pairs", action="store_true", help="print the learned pairs")
    p.add_argument("--first-places", action="store_true")
    p.add_argument("--pair-min", type=int, default=PAIR_MIN)
    args = p.parse_args()
    store = channels.Store(args.store)
    live = [not e["withdrawn"] for e in store.entries]
    g = sorted(Path(args.store).glob("g-*"))[-1]
    terms = pq.read_table(g / "terms.parquet").to_pydict()
    shown, names = terms["shown"], terms["term"]
    pairs = learn_pairs(args.store, live, args.pair_min)
    if args.pairs:
        for e, z in sorted(pairs.items(), key=lambda x: shown[x[1]]):
            print(f"{shown[z]}\t{shown[e]}")
        print(f"{len(pairs)} pairs", file=sys.stderr)
        return
    sets = channels.read_sets()
    if args.first_places:
        return first_places(store, pairs, sets, shown)
    idx = {t: i for i, t in enumerate(names)}
    extra = {idx["async"]: idx["asyncio"]} if "async" in idx and "asyncio" in idx else {}
    queries = sorted(set(sets[0]) | set(sets[2]) | set(channels.NAMED) | {"123:article:5"})
    listed = {l.strip().lower() for l in open(HERE.parent.parent / "data/names.txt") if l.strip() and not l.startswith("#")}
    is_name = [any(c.isascii() and c.isupper() for c in sh) or (t.startswith("pep") and t[3:].isdigit())
               or t in listed or sh.lower() in listed for t, sh in zip(names, shown)]
    n_live = sum(live)
    common = {f"df > {share * 100:g}%": np.array([i for i, (nm, df) in enumerate(zip(is_name, terms["df"]))
                                            if nm and df > share * n_live], dtype=int)
              for share in (0.005, 0.01, 0.02)}
    cjk = np.array([i for i, t in enumerate(names) if any('\u4e00' <= ch <= '\u9fff' for ch in t)], dtype=int)
    latin = np.array([i for i, t in enumerate(names) if not any('\u4e00' <= ch <= '\u9fff' for ch in t)], dtype=int)
    latin_names = np.array([i for i in latin if is_name[i]], dtype=int)
    sides = (cjk, latin_names, latin, is_name)
    for name, a in variants(store.a, pairs, extra, common, sides):
        if args.only and args.only not in name and name != "lexical (main)":
            continue
        s = a @ a.T
        answers = {q: store.answer(store.row_of[q], s[store.row_of[q]]) for q in queries}
        unjudged = set()
        firsts = collections.Counter(sets[3][q].get(answers[q][0], "unjudged") if answers[q] else "empty"
                                     for q, pt in sets[2].items() if pt == args.part)
        print(f"{name}: {channels.measure(answers, args.part, sets, unjudged)}; "
              f"first places {firsts['relevant']} / {firsts['weak']} / {firsts['wrong']} / {firsts['unjudged']}; "
              f"123:article:5 -> {answers['123:article:5'][:3]}")
        if args.list_unjudged:
            for q, x in sorted(unjudged):
                print(f"unjudged\t{q}\t{x}")


if __name__ == "__main__":
    main()
