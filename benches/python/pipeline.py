"""The Python baseline for weeklens's speed comparison (issue 7).

The ordinary pipeline a data scientist would write for the work of `weeklens build` followed by
`weeklens related --all -k 5`: read the archive's weekly issues and their en/ translations with a
regex parse of the numbered entries, tokenise each entry's bilingual text with jieba (precise
mode, HMM on, the project's user dictionary, a stop-word list), TF-IDF with scikit-learn's
TfidfVectorizer (the same parameters as weeklens), LSA (TruncatedSVD to 30 dimensions, rows
re-normalised) and KMeans (k=20, 4 seeded runs), then NearestNeighbors (cosine, brute force) for
every entry's 5 most similar entries of earlier issues. Writes topics.jsonl and related.jsonl.

It is meant to be a fair baseline: vectorised scikit-learn calls throughout, no Python loop over
pairs of entries. What it leaves out (weeklens's compilation filling, technical-token handling,
English stemming, the choice of k) makes it do less work, not more.

    python pipeline.py --archive DIR --out DIR [--dims 30|0] [--k 20] [--seed 42]

Stage timings go to standard error, the entry count to standard output.
"""

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

# Loading numpy, scipy and scikit-learn is part of the cost: the clock starts before.
START = time.perf_counter()

import jieba
import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

REPO = Path(__file__).resolve().parents[2]

# Section headings by their words (first match wins), as weeklens classifies them; None: a
# section whose numbered lines are not entries (past issues, sponsors, ...).
SECTIONS = [
    (("往年回顾", "产品推荐", "播客推荐", "好书推荐", "回顾", "订阅", "赞助", "关于", "推荐阅读",
      "相关阅读", "past years", "past issues", "looking back", "subscribe", "sponsor", "about",
      "related reading", "further reading"), None),
    (("赠书", "好书", "图书", "书籍", "book"), "book"),
    (("文章", "教程", "article", "tutorial"), "article"),
    (("项目", "资源", "project", "resource"), "project"),
    (("播客", "视频", "podcast", "video"), "media"),
    (("讨论", "话题", "问题", "discussion", "topic", "question"), "discussion"),
]

HEADING = re.compile(r"^(?:#{2,6}\s+(.+)|\*\*(.+)\*\*\s*)$")
# `1、[title](url)`, `1. [title](url)`, `① title` (the title-only issues)
ENTRY = re.compile(r"^(?:(\d+)[、.]\s*|([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])\s*)(.+)$")
ISSUE = re.compile(r"#\s*(\d+)")
LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
URL = re.compile(r"https?://\S+")
MARKUP = re.compile(r"[*`_\\>#|]+")


def category(heading):
    text = heading.lower()
    for words, name in SECTIONS:
        if any(w in text for w in words):
            return name
    return None


def parse(path):
    """(issue number, [(category, position, title, url, description)]) of one weekly file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    issue = None
    for line in lines[:12]:
        if line.startswith(("title:", "# ")) and (m := ISSUE.search(line)):
            issue = int(m.group(1))
            break
    entries, section, positions, current = [], None, {}, None
    for line in lines:
        line = line.strip()
        if h := HEADING.match(line):
            section = category(LINK.sub(r"\1", h.group(1) or h.group(2)))
            current = None
            continue
        if section is None:
            continue
        if m := ENTRY.match(line):
            positions[section] = positions.get(section, 0) + 1
            head = m.group(3)
            link = LINK.search(head)
            title = LINK.sub(r"\1", head)
            current = [section, positions[section], title, link.group(2) if link else "", []]
            entries.append(current)
        elif current is not None and line:
            current[4].append(line)
    return issue, [(c, p, t, u, " ".join(d)) for c, p, t, u, d in entries]


def read_archive(archive):
    """One record per entry of the weekly issues, paired with its translation by URL, else by
    category and position."""
    records = []
    for path in sorted(Path(archive).glob("*-weekly.md")):
        issue, entries = parse(path)
        if issue is None or not entries:
            continue
        en_path = Path(archive) / "en" / path.name
        by_url, by_place = {}, {}
        if en_path.exists():
            for c, p, t, u, d in parse(en_path)[1]:
                if u:
                    by_url.setdefault(u, (t, d))
                by_place[(c, p)] = (t, d)
        for c, p, t, u, d in entries:
            en = by_url.get(u) if u else None
            en = en or by_place.get((c, p), ("", ""))
            records.append({"issue": issue, "category": c, "position": p,
                            "text": " ".join((t, d, en[0], en[1]))})
    # Several files can state one number (a special issue): keep the first, as weeklens does.
    seen, unique = set(), []
    for r in sorted(records, key=lambda r: r["issue"]):
        key = (r["issue"], r["category"], r["position"])
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def stop_words():
    words = set(ENGLISH_STOP_WORDS)
    for line in (REPO / "data" / "stopwords.txt").read_text(encoding="utf-8").splitlines():
        word = line.split("#")[0].strip().lower()
        if word.startswith("!"):
            words.discard(word[1:])
        elif word:
            words.add(word)
    return words


def load_jieba():
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for line in (REPO / "data" / "userdict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#")[0].split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 else None
            jieba.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)


def tokenizer(stop):
    def tokens(text):
        text = MARKUP.sub(" ", URL.sub(" ", LINK.sub(r"\1", text))).lower()
        # Single characters are mostly particles and punctuation.
        return [w for w in jieba.lcut(text) if len(w) > 1 and w.strip() and w not in stop]
    return tokens


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", default=str(REPO.parent / "shared/corpus/python-weekly/docs"))
    ap.add_argument("--out", default="/tmp/weeklens-python")
    ap.add_argument("--dims", type=int, default=30, help="LSA dimensions; 0 clusters the TF-IDF rows")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--related", type=int, default=5)
    ap.add_argument("--min-score", type=float, default=0.1)
    args = ap.parse_args()

    clock = [START]

    def stage(name):
        now = time.perf_counter()
        print(f"{name:<10} {now - clock[0]:7.3f} s", file=sys.stderr)
        clock[0] = now

    stage("imports")
    records = read_archive(args.archive)
    print(f"entries {len(records)}")
    stage("parse")
    load_jieba()
    stop = stop_words()
    stage("jieba load")
    tokens = tokenizer(stop)
    docs = [tokens(r["text"]) for r in records]
    stage("tokenise")
    tfidf = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=2, max_df=0.5)
    X = tfidf.fit_transform(docs)
    stage("tf-idf")
    if args.dims > 0:
        svd = TruncatedSVD(n_components=args.dims, random_state=args.seed)
        space = normalize(svd.fit_transform(X))
    else:
        space = X
    topics = KMeans(n_clusters=args.k, n_init=4, random_state=args.seed).fit_predict(space)
    stage("lsa+kmeans")

    # Top n over all entries, then those of earlier issues: brute force computes every distance
    # anyway, so asking for more neighbours costs only the sort.
    issues = np.array([r["issue"] for r in records])
    n = min(len(records), 20 * args.related + 1)
    dist, idx = NearestNeighbors(metric="cosine", algorithm="brute").fit(X).kneighbors(X, n)
    stage("neighbours")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "topics.jsonl", "w", encoding="utf-8") as f:
        for r, t in zip(records, topics):
            f.write(json.dumps({"issue": r["issue"], "category": r["category"],
                                "position": r["position"], "topic": int(t)}) + "\n")
    with open(out / "related.jsonl", "w", encoding="utf-8") as f:
        for i, r in enumerate(records):
            score = 1.0 - dist[i]
            keep = (issues[idx[i]] < r["issue"]) & (score >= args.min_score)
            related = [{"issue": records[j]["issue"], "category": records[j]["category"],
                        "position": records[j]["position"], "score": round(float(s), 4)}
                       for j, s in zip(idx[i][keep][:args.related], score[keep][:args.related])]
            f.write(json.dumps({"issue": r["issue"], "category": r["category"],
                                "position": r["position"], "related": related}) + "\n")
    stage("write")


if __name__ == "__main__":
    main()
