from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.problems import stats
from oversight.problems.permissions import can_manage
from oversight.problems.stats import ChildFigures, GroupRate, Rate
from oversight.utilities.http import AuthenticatedRequest

from .models import Campaign
from .scoping import campaign_for

OVERDUE_SHOWN = 20
Row = TypeVar("Row")


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send each role to the page of its daily work."""
    user = request.user
    if user.is_congress_user or user.is_superuser:
        campaigns = list(Campaign.objects.visible_to(user)[:2])
        if len(campaigns) == 1:
            return redirect("campaigns:dashboard", slug=campaigns[0].slug)
        if campaigns:
            return redirect("campaigns:list")
    if user.is_deputy:
        return redirect("submissions:mine")
    return redirect("problems:workspace")


def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    campaigns = Campaign.objects.visible_to(request.user).select_related(
        "region", "congress", "topic", "parent"
    )
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def _share(rate: Rate) -> float:
    share = rate.rounded(3)
    return -1.0 if share is None else float(share)


@dataclass(frozen=True)
class Column:
    """A sortable column of a dashboard table: its key in ``?sort=``, heading and value."""

    key: str
    label: Any
    value: Callable[[Any], Any]
    numeric: bool = True


CHILD_COLUMNS = (
    Column("name", _("联动监督"), lambda c: c.campaign.name, numeric=False),
    Column("problems", _("问题"), lambda c: c.own.problems),
    Column("completed", _("已办结"), lambda c: c.own.completed),
    Column("rate", _("办结率"), lambda c: _share(c.own)),
    Column("overdue", _("逾期"), lambda c: c.own.overdue),
    Column("from_parent", _("上级交办"), lambda c: c.from_parent.problems),
    Column("from_parent_completed", _("上级交办已办结"), lambda c: c.from_parent.completed),
)
ORGANISATION_COLUMNS = (
    Column("name", _("承办单位"), lambda g: g.label, numeric=False),
    Column("problems", _("问题"), lambda g: g.rate.problems),
    Column("completed", _("已办结"), lambda g: g.rate.completed),
    Column("overdue", _("逾期"), lambda g: g.rate.overdue),
    Column("rate", _("办结率"), lambda g: _share(g.rate)),
)


@dataclass(frozen=True)
class Sorting:
    """Server-side sort of one table by a query parameter (``?sort=-rate``): no script."""

    param: str
    key: str
    descending: bool
    headers: list[dict[str, Any]]


def _sorted(
    request: AuthenticatedRequest,
    param: str,
    columns: Sequence[Column],
    groups: Sequence[Sequence[Row]],
) -> tuple[Sorting, list[list[Row]]]:
    raw = request.GET.get(param, "")[:40]
    descending = raw.startswith("-")
    by = {column.key: column for column in columns}
    column = by.get(raw.lstrip("-"))
    result = [list(rows) for rows in groups]
    if column is not None:
        result = [sorted(rows, key=column.value, reverse=descending) for rows in result]
    headers = []
    for each in columns:
        current = column is not None and each.key == column.key
        # Numbers sort largest first on the first click, names alphabetically.
        first = f"-{each.key}" if each.numeric else each.key
        target = (each.key if descending else f"-{each.key}") if current else first
        query = request.GET.copy()
        query[param] = target
        headers.append(
            {
                "label": each.label,
                "numeric": each.numeric,
                "query": query.urlencode(),
                "sorted": ("descending" if descending else "ascending") if current else "",
            }
        )
    key = column.key if column else ""
    return Sorting(param, key, descending, headers), result


def _completion_chart(groups: Sequence[GroupRate]) -> dict[str, Any]:
    """Bars for the dashboard chart: every lead organisation's rate, in percent."""
    shares = [group.rate.rounded(3) for group in groups]
    return {
        "labels": [group.label for group in groups],
        "rates": [None if share is None else float(share * 100) for share in shares],
        "height": 40 + 28 * len(groups),
    }


def _children_chart(children: Sequence[ChildFigures]) -> dict[str, Any]:
    """Bars for the campaigns below: own completion rate, and the share done of what the
    level above assigned to them."""

    def percent(rate: Rate) -> float | None:
        share = rate.rounded(3)
        return None if share is None else float(share * 100)

    return {
        "labels": [child.campaign.name for child in children],
        "rates": [percent(child.own) for child in children],
        "from_parent": [percent(child.from_parent) for child in children],
        "series": [str(_("本级问题办结率")), str(_("上级交办办结率"))],
        "height": 60 + 36 * len(children),
    }


def dashboard(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    # campaign_for lets through only users who may see the campaign as a whole (and so
    # every campaign below it): the figures are the same for all of them, and shared.
    campaign = campaign_for(request, slug)
    today = timezone.localdate()
    overdue = (
        campaign.problems.overdue(today)
        .filter(upper__isnull=True)
        .select_related("assignment__assignee", "region")
        .order_by("assignment__deadline", "number")[:OVERDUE_SHOWN]
    )
    summary = stats.summary(campaign, today)
    figures = summary.figures
    child_sorting, (children_rows,) = _sorted(request, "sort", CHILD_COLUMNS, [summary.children])
    org_sorting, (departments, congresses) = _sorted(
        request,
        "org_sort",
        ORGANISATION_COLUMNS,
        [figures.by_department, figures.by_congress],
    )
    context = {
        "campaign": campaign,
        "figures": figures,
        "from_parent": summary.from_parent,
        "children": children_rows,
        "child_sorting": child_sorting,
        "children_chart": _children_chart(children_rows),
        "departments": departments,
        "congresses": congresses,
        "org_sorting": org_sorting,
        "chart": _completion_chart(departments + congresses),
        "overdue": overdue,
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "campaigns/dashboard.html", context)
