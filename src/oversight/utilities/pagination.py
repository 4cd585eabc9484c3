"""Pages whose cost does not grow with how deep they are.

``Paginator`` slices the full query, so every row skipped by OFFSET drags the page's joins
(``select_related``) along with it: page 1,000 of 100,000 problems joins 50,000 rows to
show 50. ``IdFirstPaginator`` first reads the page's primary keys from the bare query (its
ordering, no joins: an index can serve it), then loads those rows with their relations.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdFirstPaginator(Paginator):  # type: ignore[type-arg]  # not subscriptable at run time
    object_list: QuerySet[Any]

    def _get_page(self, object_list: Any, number: Any, paginator: Paginator[Any]) -> Page[Any]:
        ids = list(object_list.values_list("pk", flat=True))
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return Page([rows[pk] for pk in ids if pk in rows], number, paginator)
