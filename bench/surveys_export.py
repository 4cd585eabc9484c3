"""Peak memory of the questionnaire exports (CSV streamed, Excel write-only) at two sizes.

The exports read the answers in chunks, so their peak memory should hardly grow with the
number of answers: the script prints the peak (tracemalloc) of each export for each size
and the ratio of the largest to the smallest.

    .venv/bin/python bench/surveys_export.py                      # 20,000 and 200,000 answers
    .venv/bin/python bench/surveys_export.py --sizes 20000 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_surveys_bench \\
        .venv/bin/python bench/surveys_export.py

Without DATABASE_URL a throwaway SQLite database under build/surveys/bench/ is used (made
afresh each run); the data are bulk-inserted, not answered through the actions, since only
the export is measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "build" / "surveys" / "bench"
ANSWERS_PER_RESPONSE = 5  # three issues, a region, a rating (and now and then a text)


def configure() -> None:
    if "DATABASE_URL" not in os.environ:
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
    os.environ.setdefault("OVERSIGHT_DATA_DIR", str(WORK / "data"))
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    sys.path[:0] = [str(HERE), str(ROOT / "src")]
    import django

    django.setup()


def build(size: int) -> object:
    """A published questionnaire with ``size`` answers, bulk-inserted."""
    import datetime
    import random

    from oversight.accounts.models import Role, User
    from oversight.campaigns.models import Campaign
    from oversight.organisations.models import Organisation
    from oversight.organisations.services import ensure_congresses
    from oversight.regions.models import Region
    from oversight.regions.services import load_regions
    from oversight.surveys import actions
    from oversight.surveys.models import Answer, Response
    from oversight.topics.models import Topic
    from oversight.topics.services import load_all_topics

    if not Region.objects.exists():
        load_regions()
        load_all_topics()
        ensure_congresses()
    region = Region.objects.get(code="411700")
    congress = Organisation.objects.get(region=region, code="congress")
    staff, _ = User.objects.get_or_create(
        username="bench-surveys-staff",
        defaults={"organisation": congress, "role": Role.CONGRESS_STAFF},
    )
    campaign, _ = Campaign.objects.get_or_create(
        slug="bench-surveys",
        defaults={
            "name": "问卷导出基准",
            "topic": Topic.objects.get(slug="elderly-care"),
            "congress": congress,
            "region": region,
            "starts_on": datetime.date(2024, 1, 1),
            "ends_on": datetime.date(2024, 12, 31),
        },
    )
    questionnaire = actions.create_questionnaire(
        actor=staff, campaign=campaign, title=f"基准问卷 {size}"
    )
    issues = [f"热点问题{n:02d}" for n in range(1, 21)]
    multiple = actions.add_question(
        actor=staff,
        questionnaire=questionnaire,
        kind="multiple",
        text="最突出的问题",
        options=issues,
        max_choices=5,
    )
    place = actions.add_question(
        actor=staff, questionnaire=questionnaire, kind="region", text="县区"
    )
    rating = actions.add_question(
        actor=staff, questionnaire=questionnaire, kind="rating", text="满意程度"
    )
    actions.add_question(
        actor=staff, questionnaire=questionnaire, kind="text", text="建议", required=False
    )
    actions.publish(actor=staff, questionnaire=questionnaire)
    options = list(multiple.options.values_list("pk", flat=True))
    regions = list(actions.region_choices(campaign).values_list("pk", flat=True))
    rng = random.Random(size)
    responses = size // ANSWERS_PER_RESPONSE
    batch = 2000
    for start in range(0, responses, batch):
        created = Response.objects.bulk_create(
            Response(questionnaire=questionnaire, channel="online", region_id=rng.choice(regions))
            for _ in range(min(batch, responses - start))
        )
        rows: list[Answer] = []
        for response in created:
            rows += [
                Answer(response=response, question=multiple, option_id=pk)
                for pk in rng.sample(options, 3)
            ]
            rows.append(Answer(response=response, question=place, region_id=response.region_id))
            rows.append(Answer(response=response, question=rating, value=rng.randint(1, 5)))
        Answer.objects.bulk_create(rows, batch_size=batch * ANSWERS_PER_RESPONSE)
    return questionnaire


def measure(run: Callable[[], int]) -> tuple[int, int, float]:
    """(peak bytes, output size, seconds) of one export."""
    tracemalloc.start()
    began = time.perf_counter()
    size = run()
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    sizes = parser.parse_args().sizes
    configure()
    from django.core.management import call_command

    from oversight.surveys.exports import csv_lines, workbook_file
    from oversight.surveys.models import Answer

    call_command("migrate", verbosity=0)
    results: dict[int, dict[str, tuple[int, int, float]]] = {}
    for size in sizes:
        questionnaire = build(size)
        answers = Answer.objects.filter(response__questionnaire=questionnaire).count()

        def export_csv(questionnaire: Any = questionnaire) -> int:
            return sum(len(line.encode("utf-8")) for line in csv_lines(questionnaire))

        def export_xlsx(questionnaire: Any = questionnaire) -> int:
            with workbook_file(questionnaire) as output:
                return output.seek(0, 2)

        results[answers] = {"csv": measure(export_csv), "xlsx": measure(export_xlsx)}
    print(f"{'answers':>10} {'export':>6} {'peak MiB':>9} {'file MiB':>9} {'seconds':>8}")
    for answers, exports in results.items():
        for name, (peak, size, seconds) in exports.items():
            mib = (peak / 2**20, size / 2**20)
            print(f"{answers:>10,} {name:>6} {mib[0]:>9.2f} {mib[1]:>9.2f} {seconds:>8.1f}")
    small, large = min(results), max(results)
    for name in ("csv", "xlsx"):
        ratio = results[large][name][0] / results[small][name][0]
        print(f"{name}: peak memory at {large:,} answers ÷ at {small:,} answers = {ratio:.2f}")


if __name__ == "__main__":
    main()
