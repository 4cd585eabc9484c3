"""A captcha that needs no outside service and no script: a sum in Chinese characters.

The form carries a signed, timestamped token holding a one-off nonce and a keyed digest of
the answer (not the answer: the signed payload is readable). A token is spent on its first
use, right or wrong, so one question cannot be tried again and again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

SALT = "oversight.submissions.captcha"
MAX_AGE_SECONDS = 30 * 60
NUMERALS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def _chinese(number: int) -> str:
    if number <= 10:
        return NUMERALS[number]
    return "十" + NUMERALS[number - 10]


def new_challenge() -> Challenge:
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        answer, question = first + second, _("%(a)s加%(b)s等于几？")
    else:
        first, second = max(first, second), min(first, second)
        answer, question = first - second, _("%(a)s减%(b)s等于几？")
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, answer)}, salt=SALT)
    return Challenge(question % {"a": _chinese(first), "b": _chinese(second)}, token)


def parse_answer(value: str) -> int | None:
    """Digits (half- or full-width) or the Chinese numeral: 12, １２ or 十二."""
    text = (value or "").strip()
    if text.isdecimal() and len(text) <= 3:
        return int(text)
    for number in range(21):
        if text == _chinese(number) or (number >= 10 and text == "一" + _chinese(number)):
            return number
    return None


def check(token: str, answer: str) -> None:
    """Refuse an expired, forged, reused or wrongly answered challenge."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(
            _("验证问题已过期，请回答新的问题。"), code="captcha_expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("验证问题无效，请回答新的问题。"), code="captcha_invalid") from None
    nonce = str(data.get("n", ""))
    # Spent on the first try: add() fails when the nonce was already used.
    if not nonce or not cache.add(f"captcha-used:{nonce}", True, timeout=MAX_AGE_SECONDS + 60):
        raise ValidationError(_("验证问题已使用过，请回答新的问题。"), code="captcha_reused")
    number = parse_answer(answer)
    if number is None or not constant_time_compare(_digest(nonce, number), str(data.get("h"))):
        raise ValidationError(_("验证问题回答错误，请回答新的问题。"), code="captcha_wrong")
