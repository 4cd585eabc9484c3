"""Contact details the public may leave: checked here once, for the form and the action."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 手机 1[3-9]xxxxxxxxx; 固话 区号 0xx(x) and 7–8 digits, an optional extension.
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def normalise_phone(value: str) -> str:
    """A Chinese mobile or landline number without spaces or a +86 prefix; empty stays
    empty. Refuses anything else."""
    phone = re.sub(r"[\s()（）]", "", value or "")
    phone = phone.translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    if phone.startswith("+86"):
        phone = phone[3:].lstrip("-")
    if not phone:
        return ""
    if MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone):
        return phone
    raise ValidationError(
        {"phone": _("请填写正确的手机号码（11 位）或带区号的固定电话，如 0392-1234567。")},
        code="phone",
    )
