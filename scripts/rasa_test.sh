#!/usr/bin/env bash
# rasa_test.sh RASA_BIN MODEL_TAR — dialogue test stories (with NLU on their user lines) and an intent
# check on our own held-out utterances; fails on any story failure or when intent accuracy drops.
# Run from the repository root; results under var/rasa_test/.
set -euo pipefail
rasa_bin="$1"; model="$2"
out="var/rasa_test"
python_bin="$(dirname "$rasa_bin")/python"
export PYTHONPATH="${PYTHONPATH:-$PWD}" RASA_TELEMETRY_ENABLED=false
rm -rf "$out" && mkdir -p "$out"

"$rasa_bin" test core --model "$model" --stories bot/tests --out "$out/core" \
  --fail-on-prediction-errors --no-plot

"$python_bin" -m bot.evaluate "$model" bot/tests/nlu_check.tsv | tee "$out/nlu_check.txt"
accuracy=$(sed -n 's/^nlu_eval accuracy=\([0-9.]*\) .*/\1/p' "$out/nlu_check.txt")
min_accuracy="${NLU_CHECK_MIN_ACCURACY:-0.90}"
if ! awk -v a="$accuracy" -v m="$min_accuracy" 'BEGIN { exit !(a >= m) }'; then
  echo "NLU check failed: accuracy $accuracy < $min_accuracy on bot/tests/nlu_check.tsv" >&2
  exit 1
fi
echo "rasa tests passed (test stories; NLU check accuracy $accuracy)"
