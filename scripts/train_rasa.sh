#!/usr/bin/env bash
# train_rasa.sh RASA_BIN OUT_TAR — trains the Rasa model (NLU + dialogue) and writes exactly OUT_TAR.
# Run from the repository root (the custom tokenizer is imported as bot.components…).
set -euo pipefail
rasa_bin="$1"; out_tar="$2"
out_dir="$(dirname "$out_tar")"; name="$(basename "$out_tar" .tar.gz)"
mkdir -p "$out_dir"
export PYTHONPATH="${PYTHONPATH:-$PWD}" RASA_TELEMETRY_ENABLED=false
"$rasa_bin" train --config bot/config.yml --domain bot/domain.yml --data bot/data nlu_data \
  --out "$out_dir" --fixed-model-name "$name"
test -f "$out_tar"
