#!/usr/bin/env bash
# Print the path of a working Python X.Y interpreter: $PYTHON<XY>, then pythonX.Y on PATH,
# then pyenv's versions. A candidate counts only if it runs (pyenv shims exist but may fail).
set -euo pipefail
want="${1:?usage: find_python.sh 3.10}"
var="PYTHON${want//./}"
works() { [ -n "$1" ] && "$1" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$want'.split('.')))" >/dev/null 2>&1; }

candidates=("${!var:-}" "$(command -v "python$want" 2>/dev/null || true)")
root="${PYENV_ROOT:-$HOME/.pyenv}"
for dir in "$root"/versions/"$want"*; do
  candidates+=("$dir/bin/python$want")
done
for c in "${candidates[@]}"; do
  if works "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<MSG
error: no working Python $want found.
Install one of these, then run make again:
  - pyenv install $want      (then it is found under ${root}/versions/)
  - apt-get install python$want python$want-venv
  - or point $var at an interpreter:  make $var=/path/to/python$want ...
MSG
exit 1
