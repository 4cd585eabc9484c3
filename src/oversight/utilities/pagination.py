"""Pages whose cost does not grow with how deep they are.

``Paginator`` slices the full query, so every row skipped by OFFSET drags the page's joins
(``select_related``) along with it: page 1,000 of 100,000 problems joins 50,000 rows to
show 50. ``IdFirstPaginator`` first reads the page's primary keys from the bare query (its
ordering, no joins: an index can serve it), then loads those rows with their relations.
``CappedPaginator`` also stops counting at a cap: where the exact total of thousands is not
worth reading them all, the page says "10+ pages" and the count stops early.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdFirstPaginator(Paginator):  # type: ignore[type-arg]  # not subscriptable at run time
    object_list: QuerySet[Any]

    def _get_page(self, object_list: Any, number: Any, paginator: Paginator[Any]) -> Page[Any]:
        ids = list(object_list.values_list("pk", flat=True))
        rows = {row.pk: row for row in self._rows(ids)}
        return Page([rows[pk] for pk in ids if pk in rows], number, paginator)

    def _rows(self, ids: list[Any]) -> QuerySet[Any]:
        """The page's rows by key, with the relations the query selects. Its filters chose
        the keys already: repeated here, a scope with an OR over a subquery (the workspace's
        "led or co-handled") led PostgreSQL to scan every assignment to find 50. A query
        that annotates keeps them all, so its annotations stay as they were."""
        source = self.object_list
        if source.query.annotations:
            return source.filter(pk__in=ids).order_by()
        rows: QuerySet[Any] = source.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = source.query.select_related
        prefetched: tuple[Any, ...] = source._prefetch_related_lookups  # type: ignore[attr-defined]
        return rows.prefetch_related(*prefetched)


class CappedPaginator(IdFirstPaginator):
    """Counts at most ``cap`` rows (a multiple of the page size); ``is_capped`` says there
    are more, whose pages are reached by narrowing the query rather than by paging."""

    cap = 500

    @cached_property
    def count(self) -> int:
        return int(self.object_list.order_by()[: self.cap + 1].count())

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        pages = int(super().num_pages)
        return min(pages, self.cap // self.per_page) if self.is_capped else pages
