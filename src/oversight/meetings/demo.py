"""Demo data of this app (``data/*.toml``), built from the bulletins through the app's own
actions, with the historical dates."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation
from oversight.problems.models import Problem

from . import actions
from .models import Meeting

DATA_DIR = Path(__file__).parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Login prefix of each demo city's accounts (the demo loader's names: hebi-staff …).
CITY_PREFIX = {"410600": "hebi", "411700": "zmd"}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


class _City:
    """What one campaign file refers to by short names: departments, accounts, problems."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        prefix = CITY_PREFIX[campaign.region.code]
        self.staff = User.objects.get(username=f"{prefix}-staff")
        self.member = User.objects.get(username=f"{prefix}-member")
        self.prefix = prefix
        self.organisations = {
            organisation.code: organisation
            for organisation in Organisation.objects.filter(region=campaign.region)
        }
        self.problems = {problem.number: problem for problem in campaign.problems.all()}

    def organisations_of(self, codes: list[str]) -> list[Organisation]:
        return [self.organisations[code] for code in codes]

    def problems_of(self, spec: Any, organisations: list[Organisation]) -> list[Problem]:
        if spec == "assigned":
            return list(
                self.campaign.problems.filter(assignment__assignee__in=organisations).order_by(
                    "number"
                )
            )
        return [self.problems[number] for number in spec or []]

    def liaison(self, organisation: Organisation) -> User:
        return User.objects.get(username=f"{self.prefix}-{organisation.code}")


def _meetings(city: _City, data: dict[str, Any]) -> list[Meeting]:
    kinds = {kind.code: kind for kind in city.campaign.topic.meeting_kinds.all()}
    members = [city.staff, city.member]
    meetings = []
    for entry in data.get("meetings", []):
        organisations = city.organisations_of(entry.get("organisations", []))
        held_on: datetime.date = entry["held_on"]
        meetings.append(
            actions.create_meeting(
                actor=city.staff,
                campaign=city.campaign,
                kind=kinds[entry["kind"]],
                title=entry["title"],
                held_on=held_on,
                date_is_illustrative=entry.get("illustrative", False),
                place=entry.get("place", ""),
                chair=entry.get("chair", ""),
                minutes=entry.get("minutes", ""),
                # The congress's own meetings are attended by its members; the government's
                # rectification meetings by the departments.
                attendees=members if entry["kind"] != "rectification" else [],
                organisations=organisations,
                problems=city.problems_of(entry.get("problems"), organisations),
                at=_at(held_on, 18),
            )
        )
    return meetings


def _inquiry(city: _City, data: dict[str, Any], meetings: list[Meeting]) -> None:
    spec = data.get("inquiry")
    if not spec:
        return
    session = actions.create_inquiry(
        actor=city.staff,
        campaign=city.campaign,
        title=spec["title"],
        held_on=spec["held_on"],
        meeting=meetings[spec["meeting"] - 1],
        at=_at(spec["held_on"], 18),
    )
    respondents = {
        entry["organisation"]: actions.add_respondent(
            actor=city.staff,
            session=session,
            name=entry["name"],
            title=entry["title"],
            organisation=city.organisations[entry["organisation"]],
        )
        for entry in spec["respondents"]
    }
    for entry in spec["questions"]:
        asker = city.member if entry.get("asker") == "member" else None
        actions.ask_question(
            actor=city.staff,
            session=session,
            organisation=city.organisations[entry["organisation"]],
            subject=entry["subject"],
            text=entry["text"],
            asker=asker,
            asker_name=entry.get("asker_name", "市人大常委会委员" if asker else ""),
            answer=entry.get("answer", ""),
            answered_by=respondents.get(entry["organisation"]),
            problems=city.problems_of(entry.get("problems"), []),
        )


def _opinion(city: _City, data: dict[str, Any], meetings: list[Meeting]) -> None:
    spec = data.get("opinion")
    if not spec:
        return
    adopted_on: datetime.date = spec["adopted_on"]
    opinion = actions.create_opinion(
        actor=city.staff,
        campaign=city.campaign,
        title=spec["title"],
        adopted_on=adopted_on,
        sent_on=spec.get("sent_on"),
        preamble=spec.get("preamble", ""),
        meeting=meetings[spec["meeting"] - 1],
        at=_at(adopted_on),
    )
    # Answers came with the government's report before the 24 October session, which closed
    # the items it accepted.
    answered_on = datetime.date(2024, 10, 10)
    reviewed_on = datetime.date(2024, 10, 24)
    for entry in spec["items"]:
        responsible = city.organisations[entry["responsible"]]
        item = actions.add_opinion_item(
            actor=city.staff,
            opinion=opinion,
            text=entry["text"],
            responsible=responsible,
            deadline=entry["deadline"],
            problems=city.problems_of(entry.get("problems"), []),
            at=_at(adopted_on),
        )
        status = entry["status"]
        if status == "open":
            continue
        liaison = city.liaison(responsible)
        first_answer = answered_on if status != "returned" else datetime.date(2024, 9, 20)
        actions.answer_item(
            actor=liaison,
            item=item,
            text=entry["response"],
            responded_on=first_answer,
            at=_at(first_answer, 16),
        )
        if status == "returned":
            actions.return_item(
                actor=city.staff,
                item=item,
                reason=entry["returned"],
                at=_at(datetime.date(2024, 9, 24)),
            )
            actions.answer_item(
                actor=liaison,
                item=item,
                text=entry["second_response"],
                responded_on=answered_on,
                at=_at(answered_on, 16),
            )
        if status in ("closed", "returned"):
            actions.close_item(
                actor=city.staff,
                item=item,
                note="经常委会会议满意度测评，整改落实到位，同意销号。",
                at=_at(reviewed_on, 17),
            )


@transaction.atomic
def load_file(path: Path) -> bool:
    """Load one file; False when its campaign is absent or already has meetings."""
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    campaign = (
        Campaign.objects.select_related("region", "topic").filter(slug=data["campaign"]).first()
    )
    if campaign is None or campaign.meetings.exists():
        return False
    city = _City(campaign)
    meetings = _meetings(city, data)
    _inquiry(city, data, meetings)
    _opinion(city, data, meetings)
    return True


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
    for path in sorted(DATA_DIR.glob("*.toml")):
        load_file(path)
