"""Time every page at demo size and at province scale, in one run, against the raw-SQL floor.

Two PostgreSQL (or SQLite) databases with the same demo and province campaigns; the large
one also has ``generate-province --problems N --into zhumadian-2024`` and 100,000 responses
to Hebi's questionnaire (``--into hebi-2024 --responses 100000``). ``--setup`` makes
them. Each database is measured in a child process (Django binds to one database at start);
the parent writes ``bench/RESULTS.md``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench \\
        .venv/bin/python bench/run.py \\
        --small postgres://postgres@127.0.0.1:5432/oversight_bench_small --setup 100000

Without ``--setup`` the databases are used as they are. ``--explain`` also writes
``bench/EXPLAIN.md``: EXPLAIN ANALYZE of each page's slowest queries on the large database.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OVERSIGHT = ROOT / ".venv" / "bin" / "oversight"
WARMUPS = 2
RUNS = 7
SLOW_S = 2.0  # a page slower than this on its first request gets
SLOW_RUNS = 3  # one warm-up and this many timed requests
CITY = "zhumadian-2024"
SURVEY_CITY = "hebi-2024"  # the demo's questionnaire: its results page
SURVEY_STAFF = "hebi-staff"  # runs it, and types in paper responses
RESPONSES = 100_000  # added to that questionnaire in the large database
FACILITIES = 20_000  # and facilities across the province's counties, with indicator values
PROVINCE = "henan-2024"
PROVINCE_CODE = "410000"
COUNTY_CODE = "411727"  # 汝南县: its congress's demo account is zmd-411727
SEARCH = "消防"
FIXED = "固定开销：修改密码页（无数据）"
MADE = (
    "The databases were made once with `createdb -h 127.0.0.1 -U postgres oversight_bench` "
    "(and `oversight_bench_small`); `--setup` runs `oversight migrate` on each before "
    "flushing and filling it. Times after `#` are wall-clock, on the shared 2-core machine."
)


@dataclass
class Page:
    name: str
    user: str
    url: str
    # The rows the page needs, fetched by hand: (sql, params) pairs, run in order.
    floor: list[tuple[str, list[Any]]] = field(default_factory=list)
    # Run before each request so that the page's cache misses, as on the first view after
    # someone reported progress or answered a questionnaire.
    before: Callable[[], Any] | None = None


@dataclass
class Measure:
    name: str
    url: str
    floor: bool  # whether the page has a raw-SQL floor (the fixed-cost page has none)
    status: int
    ms: float
    floor_ms: float
    queries: int
    sql_ms: float
    runs: int
    slowest: list[tuple[float, str]]


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        ALLOWED_HOSTS="testserver",
        DEBUG="0",
        OVERSIGHT_DATA_DIR=str(ROOT / "build" / "bench-data"),
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT / "src")]),
    )
    return env


def oversight_env(url: str) -> dict[str, str]:
    env = child_env(url)
    del env["DJANGO_SETTINGS_MODULE"]
    return env


def setup(small: str, large: str, problems: int) -> list[str]:
    """Fill both databases from scratch; returns the commands run, for RESULTS.md."""
    commands = []
    for url, extra in ((small, 0), (large, problems)):
        steps = [
            ["flush", "--no-input"],
            ["demo", "--no-serve"],
            ["generate-province", "--problems", "300"],
        ]
        if extra:
            steps.append(["generate-province", "--problems", str(extra), "--into", CITY])
            steps.append(["generate-province", "--problems", "0", "--facilities", str(FACILITIES)])
            steps.append(
                [
                    *("generate-province", "--problems", "1", "--into", SURVEY_CITY),
                    *("--responses", str(RESPONSES)),
                ]
            )
        for step in steps:
            if step[0] == "flush":
                subprocess.run(
                    [str(OVERSIGHT), "migrate", "-v0"], env=oversight_env(url), check=True
                )
            started = time.monotonic()
            subprocess.run([str(OVERSIGHT), *step], env=oversight_env(url), check=True)
            took = time.monotonic() - started
            commands.append(
                f"DATABASE_URL={url} .venv/bin/oversight {shlex.join(step)}  # {took:.0f} s"
            )
            print(f"  {shlex.join(step)}: {took:.1f} s", file=sys.stderr, flush=True)
    return commands


# --- in the child: one database -----------------------------------------------------------


def pages() -> list[Page]:
    from oversight.campaigns.models import Campaign
    from oversight.evaluations.models import EvaluationSession
    from oversight.organisations.models import Organisation
    from oversight.problems.models import Problem, Status
    from oversight.surveys.models import Questionnaire

    city = Campaign.objects.get(slug=CITY)
    province = Campaign.objects.get(slug=PROVINCE)
    county = Campaign.objects.get(slug=f"{PROVINCE}-{COUNTY_CODE}")
    minzheng = Organisation.objects.get(region__code="411700", code="minzheng")
    problem = Problem.objects.filter(campaign=city, status=Status.COMPLETED).order_by("-number")[0]
    total = Problem.objects.filter(campaign=city).count()
    questionnaire = Questionnaire.objects.filter(campaign__slug=SURVEY_CITY).order_by(
        "created_at", "pk"
    )[0]
    deep = min(1000, max(1, -(-total // 50)))
    unmerged_reports(city)
    # The demo's closed satisfaction vote in the city: its result sheet.
    session = EvaluationSession.objects.filter(campaign=city, closed_at__isnull=False).order_by(
        "pk"
    )[0]

    def dashboard(campaign_id: int) -> list[tuple[str, list[Any]]]:
        where = "FROM problems_problem p WHERE p.campaign_id = %s"
        joined = (
            "FROM problems_problem p JOIN problems_assignment a ON a.problem_id = p.id "
            "JOIN organisations_organisation o ON o.id = a.assignee_id WHERE p.campaign_id = %s"
        )
        return [
            (f"SELECT status, count(*) {where} GROUP BY status", [campaign_id]),
            (f"SELECT kind, count(*) {where} GROUP BY kind", [campaign_id]),
            (
                f"SELECT o.id, o.name, count(*), count(*) FILTER (WHERE p.status = 'completed') "
                f"{joined} GROUP BY o.id, o.name",
                [campaign_id],
            ),
            # The roll-up: the problems of every campaign directly below.
            (
                "SELECT p.campaign_id, count(*), count(*) FILTER (WHERE p.status = 'completed') "
                "FROM problems_problem p JOIN campaigns_campaign c ON c.id = p.campaign_id "
                "WHERE c.parent_id = %s GROUP BY p.campaign_id",
                [campaign_id],
            ),
        ]

    columns = (
        "p.id, p.number, p.title, p.status, p.kind, p.region_id, p.area_id, a.deadline, o.name"
    )
    listing = (
        f"SELECT {columns} FROM problems_problem p "
        "LEFT JOIN problems_assignment a ON a.problem_id = p.id "
        "LEFT JOIN organisations_organisation o ON o.id = a.assignee_id "
    )

    def page_of(where: str, params: list[Any], offset: int = 0) -> list[tuple[str, list[Any]]]:
        return [
            (f"SELECT count(*) FROM problems_problem p WHERE {where}", params),
            (f"{listing} WHERE {where} ORDER BY p.number LIMIT 50 OFFSET {offset}", params),
        ]

    like = f"%{SEARCH}%"
    search = "p.campaign_id = %s AND (p.title LIKE %s OR p.description LIKE %s)"
    # A questionnaire's results: the responses by channel, the answers by option.
    tallies: list[tuple[str, list[Any]]] = [
        (
            "SELECT channel, count(*) FROM surveys_response "
            "WHERE questionnaire_id = %s GROUP BY channel",
            [questionnaire.pk],
        ),
        (
            "SELECT a.option_id, count(*) FROM surveys_answer a "
            "JOIN surveys_response r ON r.id = a.response_id "
            "WHERE r.questionnaire_id = %s AND a.option_id IS NOT NULL "
            "GROUP BY a.option_id",
            [questionnaire.pk],
        ),
    ]
    workspace_where = "a.assignee_id = %s"
    return [
        # No data: what any signed-in page costs (session, user, menus, base template).
        Page(FIXED, "zmd-staff", "/accounts/password_change/"),
        Page(
            "概览：省（henan-staff）",
            "henan-staff",
            f"/campaigns/{PROVINCE}/",
            dashboard(province.pk),
        ),
        Page(
            "概览：省，下级刚有变化",
            "henan-staff",
            f"/campaigns/{PROVINCE}/",
            dashboard(province.pk),
            before=partial(figures_changed, city.pk),
        ),
        Page("概览：市（zmd-staff）", "zmd-staff", f"/campaigns/{CITY}/", dashboard(city.pk)),
        Page(
            "概览：市，刚有变化",
            "zmd-staff",
            f"/campaigns/{CITY}/",
            dashboard(city.pk),
            before=partial(figures_changed, city.pk),
        ),
        Page(
            "概览：县（zmd-411727）",
            f"zmd-{COUNTY_CODE}",
            f"/campaigns/{county.slug}/",
            dashboard(county.pk),
        ),
        Page(
            "问题清单 第 1 页",
            "zmd-staff",
            f"/campaigns/{CITY}/problems/",
            page_of("p.campaign_id = %s", [city.pk]),
        ),
        Page(
            "问题清单 筛选（整改中）",
            "zmd-staff",
            f"/campaigns/{CITY}/problems/?status=in_progress",
            page_of("p.campaign_id = %s AND p.status = %s", [city.pk, "in_progress"]),
        ),
        Page(
            f"问题清单 搜索（{SEARCH}）",
            "zmd-staff",
            f"/campaigns/{CITY}/problems/?q={SEARCH}",
            page_of(search, [city.pk, like, like]),
        ),
        Page(
            f"问题清单 第 {deep} 页",
            "zmd-staff",
            f"/campaigns/{CITY}/problems/?page={deep}",
            page_of("p.campaign_id = %s", [city.pk], offset=(deep - 1) * 50),
        ),
        Page(
            "承办工作台（zmd-minzheng）",
            "zmd-minzheng",
            "/workspace/",
            [
                (
                    "SELECT count(*) FROM problems_problem p JOIN problems_assignment a "
                    f"ON a.problem_id = p.id WHERE {workspace_where}",
                    [minzheng.pk],
                ),
                (
                    f"{listing} WHERE {workspace_where} ORDER BY (p.status = 'completed'), "
                    "a.deadline, p.number LIMIT 50",
                    [minzheng.pk],
                ),
            ],
        ),
        Page(
            "原始问题（归并）",
            "zmd-staff",
            f"/campaigns/{CITY}/intake/",
            [
                (
                    "SELECT count(*) FILTER (WHERE problem_id IS NULL), "
                    "count(*) FILTER (WHERE problem_id IS NOT NULL) "
                    "FROM problems_rawreport WHERE campaign_id = %s",
                    [city.pk],
                ),
                (
                    "SELECT * FROM problems_rawreport WHERE campaign_id = %s "
                    "AND problem_id IS NULL ORDER BY received_on, id LIMIT 100",
                    [city.pk],
                ),
            ],
        ),
        Page(
            "智能归并（建议分组）",
            "zmd-staff",
            f"/campaigns/{CITY}/merging/",
            [
                (
                    "SELECT r.id, r.text, r.region_id, r.channel FROM problems_rawreport r "
                    "WHERE r.campaign_id = %s AND r.problem_id IS NULL",
                    [city.pk],
                ),
            ],
        ),
        Page(
            "智能归并，刚有变化",
            "zmd-staff",
            f"/campaigns/{CITY}/merging/",
            [
                (
                    "SELECT r.id, r.text, r.region_id, r.channel FROM problems_rawreport r "
                    "WHERE r.campaign_id = %s AND r.problem_id IS NULL",
                    [city.pk],
                ),
            ],
            before=partial(figures_changed, city.pk),
        ),
        Page(
            "问题页",
            "zmd-staff",
            f"/problems/{problem.pk}/",
            [
                (f"{listing} WHERE p.id = %s", [problem.pk]),
                ("SELECT * FROM problems_problemevent WHERE problem_id = %s", [problem.pk]),
                ("SELECT * FROM problems_progressreport WHERE problem_id = %s", [problem.pk]),
                ("SELECT * FROM problems_rawreport WHERE problem_id = %s", [problem.pk]),
            ],
        ),
        Page(
            "问卷统计（鹤壁）",
            SURVEY_STAFF,
            f"/surveys/{questionnaire.pk}/results/",
            tallies,
        ),
        Page(
            "问卷统计（鹤壁），刚有新答卷",
            SURVEY_STAFF,
            f"/surveys/{questionnaire.pk}/results/",
            tallies,
            before=partial(new_response, questionnaire.pk),
        ),
        Page(
            "满意度测评结果（驻马店）",
            "zmd-staff",
            f"/evaluations/{session.pk}/result/",
            [
                (
                    "SELECT b.department_id, b.choice, count(*) FROM evaluations_ballot b "
                    "WHERE b.session_id = %s GROUP BY b.department_id, b.choice",
                    [session.pk],
                )
            ],
        ),
        Page(
            "指标达标：省",
            "henan-staff",
            f"/indicators/elderly-care/{PROVINCE_CODE}/",
            compliance(PROVINCE_CODE),
        ),
        Page(
            "指标达标：县（zmd-411727）",
            "zmd-411727",
            f"/indicators/elderly-care/{COUNTY_CODE}/",
            compliance(COUNTY_CODE),
        ),
    ]


UNMERGED = 60  # raw reports waiting in the city's intake, for the merging page to group


def unmerged_reports(city: Any) -> None:
    """Copies of the practice campaign's raw reports in the city's intake, unmerged, once:
    the demo's own are all merged, and the merging page is measured with groups to show."""
    from oversight.problems.models import RawReport

    waiting = RawReport.objects.filter(campaign=city, problem__isnull=True).count()
    practice = RawReport.objects.filter(campaign__slug=f"{CITY}-practice").order_by("pk")
    RawReport.objects.bulk_create(
        RawReport(
            campaign=city,
            channel=r.channel,
            text=r.text,
            region_id=r.region_id,
            received_on=r.received_on,
            created_by_id=r.created_by_id,
        )
        for r in practice[: max(0, UNMERGED - waiting)]
    )


def compliance(code: str) -> list[tuple[str, list[Any]]]:
    """A compliance table's rows fetched by hand: the values entered for the region and the
    regions directly below it, and the facilities below it tallied by region and kind."""
    below = (
        "SELECT id FROM regions_region WHERE code = %s "
        "UNION SELECT r.id FROM regions_region r JOIN regions_region p ON p.id = r.parent_id "
        "WHERE p.code = %s"
    )
    return [
        (
            f"SELECT region_id, indicator, period, value FROM indicators_indicatorvalue "
            f"WHERE region_id IN ({below})",
            [code, code],
        ),
        (
            "SELECT f.region_id, f.kind, count(*) FROM facilities_facility f "
            "JOIN regions_region r ON r.id = f.region_id "
            "LEFT JOIN regions_region p ON p.id = r.parent_id "
            "LEFT JOIN regions_region g ON g.id = p.parent_id "
            "WHERE r.code = %s OR p.code = %s OR g.code = %s GROUP BY f.region_id, f.kind",
            [code, code, code],
        ),
    ]


def timed(action: Callable[[], object], warmups: int = WARMUPS, runs: int = RUNS) -> float:
    for _ in range(warmups):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def figures_changed(campaign_id: int) -> None:
    from oversight.campaigns.models import Campaign

    Campaign.figures_changed([campaign_id])


def new_response(questionnaire_id: int) -> None:
    """A paper questionnaire typed in (through the action the offline entry page calls; the
    demo's questionnaire is closed to the public), so the results page that follows is the
    first view after a new response."""
    from oversight.accounts.models import User
    from oversight.surveys import actions
    from oversight.surveys.models import QuestionKind, Questionnaire, ResponseChannel

    questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
    answers: dict[int, Any] = {}
    for question in questionnaire.questions.prefetch_related("options"):
        options = [o.pk for o in question.options.all()]
        if question.kind == QuestionKind.SINGLE:
            answers[question.pk] = options[0]
        elif question.kind == QuestionKind.MULTIPLE:
            answers[question.pk] = options[:1]
        elif question.kind == QuestionKind.RATING:
            answers[question.pk] = question.scale_max
        elif question.kind == QuestionKind.REGION:
            answers[question.pk] = actions.region_choices(questionnaire.campaign)[0].pk
        elif question.required:
            answers[question.pk] = "纸质问卷录入"
    actions.submit_response(
        actor=User.objects.get(username=SURVEY_STAFF),
        questionnaire=questionnaire,
        answers=answers,
        channel=ResponseChannel.OFFLINE,
    )


def first_then(before: Callable[[], Any], request: Callable[[], Any]) -> Any:
    before()
    return request()


def measure_database() -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oversight.accounts.models import User
    from oversight.problems.models import Problem

    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would give
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = []
    clients: dict[str, Client] = {}
    for page in pages():
        client = clients.get(page.user)
        if client is None:
            client = clients[page.user] = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=page.user))
        request = partial(client.get, page.url)
        if page.before is not None:
            request = partial(first_then, page.before, request)
        started = time.perf_counter()
        response = request()
        # A page that takes seconds is timed fewer times, to keep the whole run bounded.
        runs = RUNS if time.perf_counter() - started < SLOW_S else SLOW_RUNS
        warmups = WARMUPS if runs == RUNS else 1
        ms = timed(request, warmups, runs)

        def floor(page: Page = page) -> None:
            with connection.cursor() as cursor:
                for sql, params in page.floor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        floor_ms = timed(floor)
        with CaptureQueriesContext(connection) as captured:
            request()
        sql_ms = sum(float(q["time"]) * 1000 for q in captured.captured_queries)
        slowest = sorted(
            ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries),
            reverse=True,
        )[:3]
        results.append(
            asdict(
                Measure(
                    page.name,
                    page.url,
                    bool(page.floor),
                    response.status_code,
                    ms,
                    floor_ms,
                    len(captured.captured_queries),
                    sql_ms,
                    runs,
                    slowest,
                )
            )
        )
        print(f"  {page.name}: {ms:.1f} ms, {len(captured)} queries", file=sys.stderr, flush=True)
    return {"problems": Problem.objects.count(), "vendor": connection.vendor, "pages": results}


SHOWN_CHARS = 1500  # of a query or plan line: an IN list of 2,000 ids says nothing more


def shortened(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]} …（共 {len(text):,} 字符）"


def explain(measured: dict[str, Any]) -> str:
    """EXPLAIN ANALYZE of each page's slowest captured queries (PostgreSQL only)."""
    import django

    django.setup()
    from django.db import connection

    lines = ["# EXPLAIN ANALYZE of the slowest queries per page (large database)", ""]
    with connection.cursor() as cursor:
        for page in measured["pages"]:
            lines += [f"## {page['name']} — `{page['url']}`", ""]
            # Only reads are explained: a page may also write (its session, a version).
            reads = [(ms, sql) for ms, sql in page["slowest"] if sql.lstrip().startswith("SELECT")]
            for ms, sql in reads[:2]:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(shortened(row[0]) for row in cursor.fetchall())
                shown = shortened(sql)
                lines += [f"{ms:.1f} ms in the page:", "", "```sql", shown, "```", "", "```", plan]
                lines += ["```", ""]
    return "\n".join(lines)


# --- the parent ---------------------------------------------------------------------------


def run_child(url: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=child_env(url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def report(small: dict[str, Any], large: dict[str, Any], commands: list[str]) -> str:
    lines = [
        "# Page timings: demo size against province scale",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {large['vendor']}, "
        f"{small['problems']:,} vs {large['problems']:,} problems in the database "
        f"(the large one: the extra problems all in `{CITY}`, the worst case, and "
        f"{RESPONSES:,} more responses to the questionnaire of `{SURVEY_CITY}`, "
        f"{FACILITIES:,} facilities across the counties and every entered indicator's "
        "values for every region and year). Each time is "
        f"the median of {RUNS} requests through Django's test client after {WARMUPS} "
        f"warm-ups (a page slower than {SLOW_S:.0f} s: median of {SLOW_RUNS} after 1), "
        "signed in with `force_login`; **raw SQL** is the same rows fetched by hand "
        "(the COUNT and the first 50 rows a list needs, the GROUP BYs of a dashboard), the "
        "floor a page could reach. The machine has 2 cores shared with other work: "
        "differences under ~20% are noise. *Of which in SQL* sums the times of the page's "
        "queries as Django saw them (one extra request); the rest is Python and templates. "
        f"**Fixed** is what a signed-in page with no data costs (the first row, "
        f"{FIXED}): session, user, menus and base template, paid by every page whatever "
        "the data; *page ÷ (raw + fixed)* compares each page with the raw SQL plus that. "
        "`bench/EXPLAIN.md` has the plans of each page's two slowest queries.",
        "",
        "| page | ms demo | ms large | ratio | raw SQL ms (large) | page ÷ raw "
        "| page ÷ (raw + fixed) | queries demo / large | of which in SQL, ms (large) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    fixed = next(p["ms"] for p in large["pages"] if p["name"] == FIXED)
    for a, b in zip(small["pages"], large["pages"], strict=True):
        ratio = b["ms"] / a["ms"] if a["ms"] else 0
        to_raw = f"{b['ms'] / b['floor_ms']:.1f}×" if b["floor"] else "—"
        to_floor = f"{b['ms'] / (b['floor_ms'] + fixed):.1f}×" if b["floor"] else "—"
        flags = "" if a["status"] == b["status"] == 200 else f" (HTTP {a['status']}/{b['status']})"
        flags += "" if b["runs"] == RUNS else f" ({b['runs']} runs)"
        lines.append(
            f"| {b['name']}{flags} | {a['ms']:.1f} | {b['ms']:.1f} | {ratio:.1f}× | "
            f"{b['floor_ms']:.1f} | {to_raw} | {to_floor} | "
            f"{a['queries']} / {b['queries']} | "
            f"{b['sql_ms']:.0f} |"
        )
    lines += ["", "URLs (large database):", ""]
    lines += [f"- {p['name']}: `{p['url']}`" for p in large["pages"]]
    lines += ["", "## Commands", "", MADE, "", "```sh", *commands, "```", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", help="URL of the demo-size database (DATABASE_URL: the large)")
    parser.add_argument("--setup", type=int, metavar="N", help="refill both, N extra problems")
    parser.add_argument("--explain", action="store_true", help="also write bench/EXPLAIN.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--explain-from", help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if options.child:
        if options.explain_from:
            measured = json.loads(Path(options.explain_from).read_text(encoding="utf-8"))
            print(json.dumps({"text": explain(measured)}))
        else:
            print(json.dumps(measure_database()))
        return
    large_url = os.environ.get("DATABASE_URL")
    if not large_url or not options.small:
        parser.error("set DATABASE_URL to the large database and --small to the demo-size one")
    command = f"DATABASE_URL={large_url} .venv/bin/python bench/run.py --small {options.small}"
    commands = []
    if options.setup:
        print("Filling the databases …", file=sys.stderr)
        commands = setup(options.small, large_url, options.setup)
        command += f" --setup {options.setup}"
    print("Demo size:", file=sys.stderr)
    small = run_child(options.small)
    print("Large:", file=sys.stderr)
    large = run_child(large_url)
    commands.append(command + (" --explain" if options.explain else ""))
    (HERE / "RESULTS.md").write_text(report(small, large, commands), encoding="utf-8")
    if options.explain and large["vendor"] == "postgresql":
        scratch = ROOT / "build" / "bench-large.json"
        scratch.write_text(json.dumps(large), encoding="utf-8")
        text = run_child(large_url, "--explain-from", str(scratch))["text"]
        (HERE / "EXPLAIN.md").write_text(text, encoding="utf-8")
    print((HERE / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
