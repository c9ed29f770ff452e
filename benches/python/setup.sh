#!/usr/bin/env bash
# Creates benches/python/.venv with the pinned packages of requirements.txt (PyPI), for the Python
# baseline that compare.sh times against weeklens. Idempotent: a venv that already holds exactly
# these versions is left alone. PYTHON names the interpreter (default python3.11, else python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"

python="${PYTHON:-}"
if [ -z "$python" ]; then
  if command -v python3.11 >/dev/null; then python=python3.11; else python=python3; fi
fi
command -v "$python" >/dev/null || { echo "setup: $python is not installed" >&2; exit 1; }

wanted() { grep -vE '^\s*(#|$)' "$req" | tr 'A-Z' 'a-z' | sed 's/_/-/g' | sort; }
have() { "$venv/bin/python" -m pip freeze --all 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/_/-/g' | grep -vE '^(pip|setuptools|wheel)==' | sort; }

if [ -x "$venv/bin/python" ] && [ "$(have)" = "$(wanted)" ]; then
  echo "setup: $venv is up to date"
  exit 0
fi

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
# Only the pinned packages: a package left over from an older pin would make the check above fail
# on every run.
extra=$(comm -13 <(wanted | cut -d= -f1) <(have | cut -d= -f1))
[ -z "$extra" ] || "$venv/bin/python" -m pip uninstall --quiet -y $extra
# jieba's dictionary cache is written on first use; warm it so the first timed run is not special.
"$venv/bin/python" -c 'import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize()'
"$venv/bin/python" -m pip freeze --all | grep -vE '^(pip|setuptools|wheel)=='
echo "setup: $venv ready"
