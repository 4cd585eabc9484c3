"""No query string, however strange, makes a page fail: every GET page answers 200, or 400
with an explanation, never 500."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.problems.models import Status

# The GET pages a signed-in congress staffer uses; the problem list also as its htmx update.
PAGES = ["list", "list-htmx", "intake", "workspace", "campaigns", "dashboard", "detail", "audit"]
# The pages with filters refuse a bad one with 400 and say why.
FILTERED = {"list", "audit"}
FILTER_KEYS = ["q", "status", "kind", "channel", "assignee", "region", "overdue", "sort", "page"]

# Long enough to exceed SQLite's 50,000-byte LIKE pattern once escaped or UTF-8 encoded.
huge = st.sampled_from(["养", "😀", "%", "_", "\x00", "a"]).map(lambda c: c * 30_000)
numbers = st.sampled_from(["-1", "0", "1", str(10**30), str(-(10**30)), "1e400", "nan", "abc"])
known = st.sampled_from(["completed", "macro", "deputy", "-number", "deadline", "true", "on"])
values = st.one_of(st.text(), st.text(max_size=3).map(lambda t: t + "\x00"), huge, numbers, known)
keys = st.one_of(st.sampled_from(FILTER_KEYS), st.text())
pairs = st.lists(st.tuples(keys, values), max_size=8)
# The filters by name, each at most once, plus whatever else comes along.
filters = st.tuples(st.dictionaries(st.sampled_from(FILTER_KEYS), values), pairs).map(
    lambda both: [*both[0].items(), *both[1]]
)
# A raw query string as a WSGI server passes it on: latin-1 text, any percent-escapes.
raw = st.text(st.characters(max_codepoint=255), max_size=200)


@pytest.fixture
def urls(campaign, staff, make_problem):
    problem = make_problem(Status.IN_PROGRESS)
    make_problem(Status.PENDING, title="待交办的问题")
    return {
        "list": reverse("problems:list", args=[campaign.slug]),
        "list-htmx": reverse("problems:list", args=[campaign.slug]),
        "intake": reverse("problems:intake", args=[campaign.slug]),
        "workspace": reverse("problems:workspace"),
        "campaigns": reverse("campaigns:list"),
        "dashboard": reverse("campaigns:dashboard", args=[campaign.slug]),
        "detail": reverse("problems:detail", args=[problem.pk]),
        "audit": reverse("audit:list"),
    }


def fetch(client, urls, page, query_string):
    headers = {"HX-Request": "true"} if page == "list-htmx" else {}
    response = client.get(urls[page], QUERY_STRING=query_string, headers=headers)
    assert response.status_code in (200, 400), (page, query_string[:200], response.status_code)
    if response.status_code == 400:
        assert page in FILTERED
        assert "筛选条件有误" in response.content.decode()
    return response


TROUBLEMAKERS = [
    {"q": "养" * 20_000},
    {"q": "a\x00b"},
    {"q": "%_" * 60},
    {"page": "-1"},
    {"page": str(10**30)},
    {"page": "abc"},
    {"region": str(10**30), "assignee": "-1"},
    {"status": "\x00", "sort": "养" * 5000, "overdue": "\x00"},
    {"username": "养" * 20_000, "address": "%_" * 5000, "since": "9999-99-99", "kind": "\x00"},
]


def test_known_troublemakers(client, staff, urls):
    client.force_login(staff)
    for page in PAGES:
        for params in TROUBLEMAKERS:
            fetch(client, urls, page, urlencode(params))


def test_an_overlong_search_is_refused_with_a_reason(client, staff, urls):
    client.force_login(staff)
    response = fetch(client, urls, "list", urlencode({"q": "养" * 20_000}))
    assert response.status_code == 400
    assert "搜索内容最多 100 个字，现有 20000 个字" in response.content.decode()
    response = fetch(client, urls, "list", urlencode({"q": "养" * 100}))
    assert response.status_code == 200


def test_repeated_keys_are_harmless(client, staff, urls):
    client.force_login(staff)
    query = urlencode([("status", "completed"), ("status", "bogus"), ("q", "x")] * 50)
    for page in PAGES:
        fetch(client, urls, page, query)


PROPERTY = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(page=st.sampled_from(["list", "list-htmx"]), query=filters.map(urlencode))
def test_any_filter_gives_200_or_400(client, staff, urls, page, query):
    client.force_login(staff)
    fetch(client, urls, page, query)


@PROPERTY
@given(page=st.sampled_from(PAGES), query=st.one_of(pairs.map(urlencode), raw))
def test_any_query_string_gives_200_or_400(client, staff, urls, page, query):
    client.force_login(staff)
    fetch(client, urls, page, query)
