"""Side by side with SkillNER (`skillNer` on PyPI): postings/s on the same postings.

Installs SkillNER into its own venv (never into jobreq's), then tries to run it offline on
postings from `throughput.py`. SkillNER needs a spaCy English model (`en_core_web_lg`,
published on GitHub, not on PyPI) and downloads its skills database from GitHub when it is
imported; where a step fails, the script prints exactly which step and why.

    python benchmarks/skillner_compare.py --postings 200
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import make_postings

import jobreq

MODEL = "en_core_web_lg"
RUN_SKILLNER = """
import json, sys, time
import spacy
from spacy.matcher import PhraseMatcher
from skillNer.general_params import SKILL_DB
from skillNer.skill_extractor_class import SkillExtractor
nlp = spacy.load("en_core_web_lg")
extractor = SkillExtractor(nlp, SKILL_DB, PhraseMatcher)
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
start = time.perf_counter()
for text in texts:
    extractor.annotate(text)
print(len(texts) / (time.perf_counter() - start))
"""


def step(name: str, command: list[str], timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
    print(f"- {name}: {status}")
    if result.returncode:
        last = (result.stdout + result.stderr).strip().splitlines()[-1:]
        print(f"  - last line: `{last[0] if last else ''}`")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=200)
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "skillner-venv")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jobreq-skillner-"))
    postings = work / "postings.jsonl"
    make_postings(args.postings, postings)
    python = str(args.venv / "bin" / "python")

    print(f"## SkillNER on {args.postings} postings\n")
    steps = [
        ("create venv", [sys.executable, "-m", "venv", str(args.venv)]),
        ("pip install skillNer", [python, "-m", "pip", "install", "-q", "skillNer"]),
        ("pip install en_core_web_lg (PyPI)", [python, "-m", "pip", "install", MODEL]),
        ("spacy download en_core_web_lg (GitHub)", [python, "-m", "spacy", "download", MODEL]),
        ("import skillNer (fetches its DB)", [python, "-c", "import skillNer.general_params"]),
    ]  # fmt: skip
    for name, command in steps:
        step(name, command)
    script = work / "run_skillner.py"
    script.write_text(RUN_SKILLNER, encoding="utf-8")
    skillner = step("run SkillNER", [python, str(script), str(postings)])

    nlp = jobreq.load()
    texts = [json.loads(line)["text"] for line in postings.open(encoding="utf-8")]
    start = time.perf_counter()
    docs = sum(1 for _ in nlp.pipe(texts, batch_size=64))
    ours = docs / (time.perf_counter() - start)
    print(f"\n- jobreq, 1 process: {ours:.1f} postings/s")
    if skillner.returncode == 0:
        theirs = float(skillner.stdout.strip().splitlines()[-1])
        print(f"- SkillNER, 1 process: {theirs:.1f} postings/s; ratio {ours / theirs:.2f}")
    else:
        print("- SkillNER could not run offline, so there is no speed ratio to report.")


if __name__ == "__main__":
    main()
