"""Time the merger on 10,000 raw reports (not a test: prints, asserts nothing).

The reports are the demo campaigns' labelled raw reports recombined: each copy gets a
county of the city (or the city), sometimes the county's name in the text, and small
rewordings (a clause dropped, a generic phrase added). Pure engine, no database.

    .venv/bin/python bench/dedupe.py [--count 10000] [--input FILE.jsonl] [--write FILE.jsonl]

``--input`` times a JSON Lines file instead (the ``oversight dedupe`` format); ``--write``
saves the generated reports in that format, e.g. to time the command end to end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from oversight.merging import engine  # noqa: E402
from tests.merging.evaluation import henan_gazetteer, tuning_set  # noqa: E402

CITY_COUNTIES = {
    "411700": [
        "411702",
        "411721",
        "411722",
        "411723",
        "411724",
        "411725",
        "411726",
        "411727",
        "411728",
        "411729",
    ],
    "410600": ["410602", "410603", "410611", "410621", "410622"],
}
ADDED = ["，希望尽快解决", "，群众反映较多", "。建议相关部门重视", "，情况属实"]


def generate(count: int, seed: int = 7) -> list[engine.Report]:
    """``count`` reports recombined from the tuning texts with region variations."""
    gazetteer = henan_gazetteer()
    names = {next(iter(codes)): name for name, codes in gazetteer.names.items() if len(codes) == 1}
    source, _ = tuning_set()
    rng = random.Random(seed)
    reports = []
    for index in range(count):
        base = rng.choice(source)
        city = base.region[:4] + "00"
        region = rng.choice([city, *CITY_COUNTIES.get(city, [])])
        text = base.text
        clauses = [c for c in text.replace("。", "，").split("，") if c]
        if len(clauses) > 2 and rng.random() < 0.3:
            clauses.pop(rng.randrange(len(clauses)))
            text = "，".join(clauses) + "。"
        if rng.random() < 0.3:
            text += rng.choice(ADDED)
        if region != city and rng.random() < 0.3:
            text = names.get(region, "") + text
            region = city if rng.random() < 0.5 else region
        reports.append(engine.Report(str(index), text, region, base.channel))
    return reports


def read(path: Path) -> list[engine.Report]:
    gazetteer = henan_gazetteer()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        engine.Report(
            row["id"],
            row["text"],
            engine.region_key(row.get("region", ""), gazetteer),
            row.get("channel", ""),
        )
        for row in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--input", type=Path)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--threshold", type=float, default=engine.DEFAULT_THRESHOLD)
    args = parser.parse_args()
    reports = read(args.input) if args.input else generate(args.count)
    if args.write:
        args.write.write_text(
            "".join(
                json.dumps(
                    {"id": r.id, "text": r.text, "region": r.region, "channel": r.channel},
                    ensure_ascii=False,
                )
                + "\n"
                for r in reports
            ),
            encoding="utf-8",
        )
    gazetteer = henan_gazetteer()
    engine.load_lexicon()  # read once, as a running server has it
    start, cpu_start = time.perf_counter(), time.process_time()
    groups = engine.propose_groups(reports, threshold=args.threshold, gazetteer=gazetteer)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    grouped = sum(len(group) for group in groups)
    print(
        f"{len(reports)} reports → {len(groups)} groups ({grouped} reports grouped, "
        f"largest {max((len(g) for g in groups), default=0)}) in {elapsed:.2f} s "
        f"({cpu:.2f} s of CPU; the difference is other processes' load) "
        f"at threshold {args.threshold}"
    )


if __name__ == "__main__":
    main()
