from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

PLEASE_CHOOSE = _("请选择")


class PleaseChooseMixin:
    """Empty choices of select boxes read “请选择” instead of Django's “---------”."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = PLEASE_CHOOSE
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field.widget, forms.RadioSelect
            ):
                choices = list(cast(Iterable[Any], field.choices))
                if choices and choices[0][0] == "":
                    field.choices = [("", PLEASE_CHOOSE), *choices[1:]]
