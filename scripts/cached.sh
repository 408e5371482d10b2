#!/usr/bin/env bash
# cached.sh NAME OUTPUT INPUTS -- COMMAND...
# Builds OUTPUT (a file or directory) with COMMAND only when the content of INPUTS (space-separated
# files or directories) or COMMAND changed. Results are kept in a content-keyed cache outside the
# work tree, so a fresh clone on the same machine (CI) reuses a trained model or converted weights.
set -euo pipefail
name="$1"; output="$2"; inputs="$3"; shift 3
[ "$1" = "--" ] && shift
cache="${DVC_CACHE_DIR:-$HOME/.cache/dvc-assistant}/$name"
key=$( { echo "$*"; find $inputs -type f -not -path '*/__pycache__/*' -print0 2>/dev/null \
          | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-20)
stamp="$output.key"

if [ -e "$output" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
  exit 0
fi
if [ -e "$cache/$key" ]; then
  echo ">> $name: reusing cached build $key"
else
  echo ">> $name: building ($key)"
  rm -rf "$output"
  mkdir -p "$(dirname "$output")"
  "$@"
  mkdir -p "$cache"
  rm -rf "$cache/$key.tmp" && cp -a "$output" "$cache/$key.tmp" && mv "$cache/$key.tmp" "$cache/$key"
fi
rm -rf "$output"
mkdir -p "$(dirname "$output")"
cp -a "$cache/$key" "$output"
echo "$key" > "$stamp"
