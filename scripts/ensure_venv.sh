#!/usr/bin/env bash
# ensure_venv.sh LINK PYTHON LOCKFILE [FIRST_REQ]
# Builds a virtualenv for LOCKFILE once, in a cache keyed by the lock's content and the interpreter,
# and points LINK (.venv, .venv-rasa) at it. Re-running with an unchanged lock is instant; a fresh
# clone on the same machine (CI) reuses the cached environment.
set -euo pipefail
link="$1"; python="$2"; lock="$3"; first="${4:-}"
cache="${DVC_CACHE_DIR:-$HOME/.cache/dvc-assistant}"
key=$( { cat "$lock"; "$python" -VV; echo "$first"; } | sha256sum | cut -c1-16)
name="$(basename "$link" | tr -d .)-$key"
target="$cache/venvs/$name"

if [ ! -f "$target/.complete" ]; then
  echo ">> building $link in $target (lock $lock changed or first run)"
  rm -rf "$target"
  mkdir -p "$cache/venvs"
  "$python" -m venv "$target"
  "$target/bin/python" -m pip install --quiet --upgrade pip wheel
  # torch must come from the local CPU wheel before anything pulls a CUDA build.
  if [ -n "$first" ]; then "$target/bin/python" -m pip install --quiet "$first"; fi
  "$target/bin/python" -m pip install --quiet -r "$lock"
  touch "$target/.complete"
fi
if [ "$(readlink "$link" 2>/dev/null)" != "$target" ]; then
  rm -rf "$link"
  ln -s "$target" "$link"
fi
