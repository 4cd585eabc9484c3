"""Time generating a city bulletin (Zhumadian, from the demo's live data).

A fresh database (a temporary SQLite file unless ``DATABASE_URL`` names one; it is flushed)
gets the demo; then the bulletin's first draft is built from live figures and laid out as
.docx, as the staff's "generate" button and ``oversight bulletin`` do, ``--runs`` times:

    .venv/bin/python bench/documents.py [--runs 10] [--pdf]

It prints the median and worst time for the figures + draft text, for the .docx, and (with
``--pdf``, where LibreOffice is installed) one PDF conversion. Aim: a bulletin in under a
second. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(scratch: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ["OVERSIGHT_DATA_DIR"] = str(scratch)
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pdf", action="store_true", help="also time one PDF conversion")
    arguments = parser.parse_args()
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as scratch:
        setup_django(Path(scratch))
        run(arguments.runs, arguments.pdf)


def run(runs: int, with_pdf: bool) -> None:
    from io import StringIO

    from django.core.management import call_command

    from oversight.campaigns.models import Campaign
    from oversight.documents import actions, layout, pdf

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("demo", "--no-serve", stdout=StringIO())
    campaign = Campaign.objects.get(slug="zhumadian-2024")
    drafting, building = [], []
    data = b""
    for _ in range(runs):
        start = time.perf_counter()
        content = actions.bulletin_content(campaign)
        middle = time.perf_counter()
        data = layout.build(content)
        drafting.append(middle - start)
        building.append(time.perf_counter() - middle)
    total = [a + b for a, b in zip(drafting, building, strict=True)]
    print(f"Zhumadian bulletin, {runs} runs ({len(data):,} bytes of .docx):")
    for label, times in (("figures + text", drafting), (".docx", building), ("total", total)):
        print(
            f"  {label:<15} median {statistics.median(times) * 1000:7.1f} ms, "
            f"worst {max(times) * 1000:7.1f} ms"
        )
    if with_pdf and pdf.can_convert():
        start = time.perf_counter()
        pdf.docx_to_pdf(data)
        print(f"  PDF (LibreOffice) {(time.perf_counter() - start) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
