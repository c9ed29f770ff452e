#!/usr/bin/env bash
# weeklens against the ordinary Python pipeline (issue 7), side by side in one run: whole
# processes timed with hyperfine (wall), then each once under /usr/bin/time -v (peak RSS).
#
#   benches/python/compare.sh [WEEKLENS [ARCHIVE]]
#
# WEEKLENS: the release binary (default target/release/weeklens, or $WEEKLENS);
# ARCHIVE: the archive (default ../shared/corpus/python-weekly/docs beside the repository, or
# $WEEKLENS_ARCHIVE); RUNS: timed runs per command (default 5), after one warm-up run; FLAT=1
# adds weeklens without the LSA reduction (`--dims 0`: k-means over the dense TF-IDF rows, about
# a minute of CPU, so not by default).
#
# weeklens does `build` into a fresh store and then `related --all -k 5 --format jsonl`; the
# Python pipeline does the same work in one process (see pipeline.py). Prints a markdown table and
# the ratios of the means.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

weeklens="${1:-${WEEKLENS:-$repo/target/release/weeklens}}"
archive="${2:-${WEEKLENS_ARCHIVE:-$repo/../shared/corpus/python-weekly/docs}}"
runs="${RUNS:-5}"

[ -x "$weeklens" ] || { echo "compare: no weeklens binary at $weeklens (cargo build --release)" >&2; exit 2; }
[ -d "$archive" ] || { echo "compare: no archive at $archive" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "compare: hyperfine is not installed (apt-get install -y hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare: /usr/bin/time is not installed (apt-get install -y time)" >&2; exit 2; }
weeklens="$(cd "$(dirname "$weeklens")" && pwd)/$(basename "$weeklens")"
archive="$(cd "$archive" && pwd)"

"$here/setup.sh" >/dev/null
py="$here/.venv/bin/python"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
store="$work/store"

# One command line per contender, run by hyperfine through the shell. Every weeklens run starts
# from no store (--prepare), as the Python pipeline starts from nothing.
wl_default="$weeklens build --archive '$archive' --store '$store' >/dev/null 2>&1 && $weeklens related --store '$store' --all -k 5 --format jsonl > '$work/wl-default.jsonl'"
wl_k20="$weeklens build --archive '$archive' --store '$store' --k 20 >/dev/null 2>&1 && $weeklens related --store '$store' --all -k 5 --format jsonl > '$work/wl-k20.jsonl'"
wl_k20_flat="$weeklens build --archive '$archive' --store '$store' --k 20 --dims 0 >/dev/null 2>&1 && $weeklens related --store '$store' --all -k 5 --format jsonl > '$work/wl-k20-flat.jsonl'"
python_lsa="'$py' '$here/pipeline.py' --archive '$archive' --out '$work/py-lsa' --k 20 --dims 30 >/dev/null 2>&1"
python_flat="'$py' '$here/pipeline.py' --archive '$archive' --out '$work/py-flat' --k 20 --dims 0 >/dev/null 2>&1"
clean="rm -rf '$store' '$store.lock'"

contenders=(
  --prepare "$clean" -n 'weeklens build (k = 24) + related --all' "$wl_default"
  --prepare "$clean" -n 'weeklens build --k 20 + related --all' "$wl_k20"
  --prepare true -n 'python pipeline.py --k 20 --dims 30' "$python_lsa"
  --prepare true -n 'python pipeline.py --k 20 --dims 0' "$python_flat"
)
flavours=("" "--k 20")
if [ "${FLAT:-0}" = 1 ]; then
  contenders+=(--prepare "$clean" -n 'weeklens build --k 20 --dims 0 + related --all' "$wl_k20_flat")
  flavours+=("--k 20 --dims 0")
fi

# The machine is shared: the load before and after says how much the walls are to be trusted.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --style basic -w 1 -r "$runs" --export-json "$work/hyperfine.json" "${contenders[@]}" >&2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Peak RSS, one run each (in the order of the hyperfine results): weeklens's is the larger of
# its two processes. Entries: lines of each related output, one per entry.
peak() { /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>>"$work/stages"; cat "$work/rss"; }
weeklens_rss() {
  eval "$clean"
  # shellcheck disable=SC2086
  b=$(peak "$weeklens" build --archive "$archive" --store "$store" $1)
  r=$(peak "$weeklens" related --store "$store" --all -k 5 --format jsonl)
  echo "$(( b > r ? b : r ))"
}
rss=("$(weeklens_rss "")" "$(weeklens_rss "--k 20")")
: >"$work/stages"
rss+=("$(peak "$py" "$here/pipeline.py" --archive "$archive" --out "$work/py-lsa" --k 20 --dims 30)")
echo "python pipeline.py --k 20 --dims 30, its stages in the run for peak RSS:"
sed 's/^/  /' "$work/stages"
rss+=("$(peak "$py" "$here/pipeline.py" --archive "$archive" --out "$work/py-flat" --k 20 --dims 0)")
entries=(
  "$(wc -l <"$work/wl-default.jsonl")" "$(wc -l <"$work/wl-k20.jsonl")"
  "$(wc -l <"$work/py-lsa/related.jsonl")" "$(wc -l <"$work/py-flat/related.jsonl")"
)
if [ "${FLAT:-0}" = 1 ]; then
  rss+=("$(weeklens_rss "--k 20 --dims 0")")
  entries+=("$(wc -l <"$work/wl-k20-flat.jsonl")")
fi

"$py" - "$work/hyperfine.json" "${rss[*]}" "${entries[*]}" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
rss = [int(x) for x in sys.argv[2].split()]
entries = [int(x) for x in sys.argv[3].split()]
# CPU time (user + system, mean over the runs) alongside the wall: on a loaded machine the wall
# also counts the time spent waiting for a core, the CPU time much less so.
print("| command | wall (mean ± σ) | min … max | CPU user + sys | peak RSS | entries |")
print("|---|---|---|---|---|---|")
for r, m, n in zip(results, rss, entries):
    sd = r["stddev"] or 0.0
    print(f"| {r['command']} | {r['mean']:.2f} s ± {sd:.2f} s | {r['min']:.2f} … {r['max']:.2f} s "
          f"| {r['user'] + r['system']:.2f} s | {m / 1024:.0f} MiB | {n} |")
by = {r["command"]: r for r in results}
print()
for py, wl in [("python pipeline.py --k 20 --dims 30", "weeklens build --k 20 + related --all"),
               ("python pipeline.py --k 20 --dims 30", "weeklens build (k = 24) + related --all"),
               ("python pipeline.py --k 20 --dims 0", "weeklens build --k 20 --dims 0 + related --all")]:
    if py in by and wl in by:
        a, b = by[py], by[wl]
        cpu = (a["user"] + a["system"]) / (b["user"] + b["system"])
        print(f"ratio  {py}  /  {wl}:  wall {a['mean'] / b['mean']:.1f}x, CPU {cpu:.1f}x")
EOF
