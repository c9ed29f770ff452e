#!/usr/bin/env bash
# Two or more weeklens binaries and the Python pipeline, taken in turn round after round, so
# that each round meets the same machine (compare.sh runs each contender's rounds one after the
# other, and a shared machine's load moves between them):
#
#   benches/python/alternate.sh ROUNDS WEEKLENS [WEEKLENS ...]
#
# Each round: for each binary, `build` into a fresh store then `related --all -k 5 --format
# jsonl` (as compare.sh), then `pipeline.py --k 20 --dims 30` once; each timed by /usr/bin/time.
# ARCHIVE: $WEEKLENS_ARCHIVE, or ../shared/corpus/python-weekly/docs beside the repository.
# Prints each contender's mean and median wall, its mean CPU, and the Python pipeline's against it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${1:?rounds}"
shift
[ "$#" -ge 1 ] || { echo "alternate: name at least one weeklens binary" >&2; exit 2; }
archive="${WEEKLENS_ARCHIVE:-$repo/../shared/corpus/python-weekly/docs}"
[ -d "$archive" ] || { echo "alternate: no archive at $archive" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "alternate: /usr/bin/time is not installed (apt-get install -y time)" >&2; exit 2; }
"$here/setup.sh" >/dev/null
py="$here/.venv/bin/python"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
times="$work/times"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for b in "$@"; do
    rm -rf "$work/store"
    /usr/bin/time -f "$b %e %U %S" -a -o "$times" sh -c \
      "'$b' --store '$work/store' build --archive '$archive' >/dev/null 2>&1 && '$b' --store '$work/store' related --all -k 5 --format jsonl >/dev/null"
  done
  /usr/bin/time -f "python %e %U %S" -a -o "$times" \
    "$py" "$here/pipeline.py" --archive "$archive" --out "$work/py" --k 20 --dims 30 >/dev/null 2>&1
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$times" <<'EOF'
import collections, statistics as st, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, user, sys_ = line.rsplit(maxsplit=3)
    runs[name].append((float(wall), float(user) + float(sys_)))
walls = lambda name: [w for w, _ in runs[name]]
cpus = lambda name: [c for _, c in runs[name]]
py_wall, py_cpu = st.mean(walls("python")), st.mean(cpus("python"))
print("| contender | rounds | wall mean; median | CPU mean | Python's wall against it (means; medians) | CPU |")
print("|---|---|---|---|---|---|")
for name in runs:
    w, c = walls(name), cpus(name)
    print(f"| {name} | {len(w)} | {st.mean(w):.3f} s; {st.median(w):.3f} s | {st.mean(c):.3f} s "
          f"| {py_wall / st.mean(w):.1f}×; {st.median(walls('python')) / st.median(w):.1f}× | {py_cpu / st.mean(c):.1f}× |")
EOF
