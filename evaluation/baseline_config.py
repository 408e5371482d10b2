"""The "before" Rasa model of `make bench-chat`: today's bot/config.yml with the TEDPolicy it had until
issue 14 (RulePolicy + MemoizationPolicy + TEDPolicy), so the benchmark measures the policy change alone.

``python -m evaluation.baseline_config RASA_BIN OUT_TAR`` trains it (run from the repository root; the
Makefile caches it by content as ``var/models/rasa/baseline-ted.tar.gz``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TED_POLICY = {
    "name": "TEDPolicy",
    "max_history": 5,
    "epochs": 20,
    "random_seed": 2024,
    "constrain_similarities": True,
}


def baseline_config(config: dict[str, Any]) -> dict[str, Any]:
    policies = [p for p in config.get("policies") or [] if p.get("name") != "TEDPolicy"]
    return {**config, "policies": [*policies, TED_POLICY]}


def main(argv: list[str] | None = None) -> int:
    rasa_bin, out_tar = (argv if argv is not None else sys.argv[1:])[:2]
    out = Path(out_tar)
    config = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.yml"
        path.write_text(yaml.safe_dump(baseline_config(config), allow_unicode=True), encoding="utf-8")
        command = [rasa_bin, "train", "--config", str(path), "--domain", "bot/domain.yml"]
        command += ["--data", "bot/data", "nlu_data", "--out", str(out.parent)]
        command += ["--fixed-model-name", out.name.removesuffix(".tar.gz")]
        subprocess.run(command, check=True, cwd=ROOT)
    return 0 if out.exists() else 1


if __name__ == "__main__":
    raise SystemExit(main())
