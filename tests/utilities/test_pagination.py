from django.core.paginator import Paginator
from django.db.models import Count

from oversight.problems.models import Problem
from oversight.utilities.pagination import CappedPaginator, IdFirstPaginator
from tests.campaigns.test_query_budget import bulk_problems


def test_pages_hold_the_same_rows_in_the_same_order_as_djangos(campaign):
    bulk_problems(campaign, 23)
    rows = Problem.objects.select_related("assignment__assignee").order_by("-status", "number")
    for number in (1, 2, 3):
        ours = IdFirstPaginator(rows, 10).page(number)
        django = Paginator(rows, 10).page(number)
        assert [p.pk for p in ours] == [p.pk for p in django]
        assert ours.has_next() == django.has_next()
    last = IdFirstPaginator(rows, 10).page(3)
    assert len(last) == 3 and last[0].assignment.assignee is not None


def test_the_page_loads_its_rows_with_their_relations_in_two_queries(
    campaign, django_assert_num_queries
):
    bulk_problems(campaign, 30)
    rows = Problem.objects.select_related("assignment__assignee").order_by("number")
    page = IdFirstPaginator(rows, 10).page(2)
    with django_assert_num_queries(0):
        names = [p.assignment.assignee.name for p in page]
    assert len(names) == 10


def test_the_rows_are_read_by_key_alone_keeping_relations_and_annotations(
    campaign, django_assert_num_queries
):
    """The filters chose the page's keys; the rows are then read by key alone (the filters
    again misled PostgreSQL), with the query's relations, prefetches and annotations."""
    bulk_problems(campaign, 30)
    scoped = Problem.objects.filter(status="in_progress").select_related("assignment__assignee")
    rows = scoped.prefetch_related("raw_reports").order_by("number")
    page = IdFirstPaginator(rows, 10).page(1)
    assert [p.pk for p in page] == list(scoped.order_by("number").values_list("pk", flat=True)[:10])
    with django_assert_num_queries(0):
        assert all(p.assignment.assignee.name and len(p.raw_reports.all()) == 1 for p in page)
    counted = rows.annotate(reports=Count("raw_reports"))
    assert {p.reports for p in IdFirstPaginator(counted, 10).page(1)} == {1}


class SmallCap(CappedPaginator):
    cap = 20


def test_a_capped_count_stops_at_the_cap_and_says_there_are_more(campaign):
    bulk_problems(campaign, 23)
    rows = Problem.objects.order_by("number")
    capped = SmallCap(rows, 10)
    assert (capped.count, capped.is_capped, capped.num_pages) == (21, True, 2)
    assert [p.number for p in capped.page(2)] == list(range(11, 21))
    whole = SmallCap(rows.filter(number__lte=15), 10)
    assert (whole.count, whole.is_capped, whole.num_pages) == (15, False, 2)
