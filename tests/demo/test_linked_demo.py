"""The demo's three levels: 河南省 above 驻马店 and 鹤壁, 驻马店's counties below it."""

from oversight.campaigns.models import Campaign
from oversight.problems.models import EventKind, Problem, Status
from tests.demo.test_demo import demo, stats  # noqa: F401


def test_the_province_assigned_three_problems_to_zhumadian(demo):  # noqa: F811
    figures = stats("zhumadian-2024")
    assert (figures["problems"], figures["completed"], figures["completion_rate"]) == (
        43,
        34,
        0.791,
    )
    assert figures["from_parent"] == {"problems": 3, "completed": 2}
    linked = Problem.objects.filter(campaign__slug="zhumadian-2024", upper__isnull=False)
    assert linked.count() == 3
    assert {p.upper.campaign.slug for p in linked} == {"henan-2024"}
    uppers = Problem.objects.filter(campaign__slug="henan-2024")
    assert sorted(uppers.values_list("status", flat=True)) == sorted(
        [Status.COMPLETED, Status.COMPLETED, Status.IN_PROGRESS]
    )
    # Answered in writing by 驻马店's staff, accepted by the province's.
    accepted = uppers.filter(status=Status.COMPLETED).first()
    claim = accepted.events.get(kind=EventKind.CLAIMED)
    assert claim.actor.username == "zmd-staff"
    assert accepted.events.get(kind=EventKind.ACCEPTED).actor.username == "henan-staff"


def test_zhumadian_counties_answer_in_their_own_campaigns(demo):  # noqa: F811
    children = stats("zhumadian-2024")["children"]
    assert len(children) == 10
    assert sum(c["from_parent"]["problems"] for c in children) == 14
    assert sum(c["from_parent"]["completed"] for c in children) == 11
    runan = next(c for c in children if c["region"] == "411727")
    runan_campaign = Campaign.objects.get(slug=runan["slug"])
    assert runan_campaign.name == "汝南县联动监督"
    assert runan_campaign.congress.region.code == "411727"
    assert all(Campaign.objects.values_list("is_illustrative", flat=True))


def test_henan_lists_both_cities(demo, client):  # noqa: F811
    henan = stats("henan-2024")
    slugs = {c["slug"]: c for c in henan["children"]}
    assert {"zhumadian-2024", "hebi-2024"} <= set(slugs)
    assert slugs["zhumadian-2024"]["from_parent"] == {"problems": 3, "completed": 2}
    assert slugs["zhumadian-2024"]["problems"] == 43
    assert (henan["problems"], henan["completed"]) == (3, 2)
    client.post("/accounts/login/", {"username": "zmd-411727", "password": "demo2024"})
    listed = client.get("/campaigns/").content.decode()
    assert "汝南县联动监督" in listed and "西平县联动监督" not in listed
