"""Demo data of this app, built from the bulletins through the app's own actions.

Hebi's bulletin says the public questionnaire, online and offline, was built around 20 hot
issues; it gives neither the issues nor the answers. The questionnaire below is therefore
illustrative (示意): 20 plausible issues, and a few hundred answers drawn from a seeded
random generator, submitted through ``submit_response`` like the public page and the
offline form; a few suggestions are turned into raw reports through the staff action.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign

from . import actions
from .actions import AnswerValue
from .models import Answer, QuestionKind, Questionnaire, ResponseChannel

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPAIGN = "hebi-2024"
STAFF = "hebi-staff"
TITLE = "鹤壁市养老服务热点问题问卷调查"
DESCRIPTION = (
    "示意：简报记载鹤壁市人大常委会围绕20个热点问题开展线上、线下问卷调查；"
    "本问卷的题目与答卷为演示编写，不是真实调查数据。\n"
    "为了解群众对养老服务的意见，请您抽出几分钟填写本问卷。问卷不记名，感谢您的参与！"
)
HOT_ISSUES = [
    "社区老年助餐点少、就餐不便",
    "居家上门养老服务项目少",
    "社区日间照料中心运营不正常",
    "农村敬老院设施陈旧、护理人员不足",
    "养老机构收费不透明",
    "失能老人照护负担重、长期护理保险未覆盖",
    "医养结合机构少，老人看病就医不便",
    "家庭养老床位申请难、床位少",
    "老旧小区没有电梯，适老化改造慢",
    "养老护理员数量少、专业水平不高",
    "老年人使用智能手机和网上办事困难",
    "高龄津贴发放不及时",
    "家庭医生签约服务不到位",
    "老年大学、老年活动中心名额紧张",
    "街道综合养老服务中心离家远",
    "独居、空巢老人缺少探访关爱",
    "养老机构消防安全隐患",
    "预付费养老服务存在“跑路”风险",
    "社区康复护理设施不足",
    "农村互助养老点开展活动少",
]
# How often each issue is picked, relative to the others: the first ones are the hottest.
ISSUE_WEIGHTS = [14, 12, 11, 10, 9, 9, 8, 8, 7, 7, 6, 5, 5, 4, 4, 4, 3, 3, 2, 2]
IDENTITIES = ["60岁以上老年人", "老年人家属", "养老服务从业人员", "其他"]
IDENTITY_WEIGHTS = [45, 35, 8, 12]
# Hebi's counties and districts, by GB/T 2260 code, and their share of the answers.
COUNTY_WEIGHTS = {"410602": 10, "410603": 12, "410611": 35, "410621": 25, "410622": 18}
RATING_WEIGHTS = [4, 9, 27, 38, 22]
SUGGESTIONS = [
    "希望小区附近增设老年助餐点，价格再实惠一些。",
    "社区日间照料中心经常锁门，希望能正常开放。",
    "农村敬老院冬天取暖条件差，建议尽快改造。",
    "老旧小区没有电梯，老人上下楼很困难，希望加快加装电梯。",
    "养老院收费项目太多，希望公开收费标准。",
    "家庭医生签约后很少上门，希望定期来家里看看。",
    "希望多培训养老护理员，提高护理水平。",
    "家里有失能老人，照护负担很重，希望有喘息服务。",
    "高龄津贴有时候几个月才发，希望按时发放。",
    "希望社区多组织老年人文体活动。",
    "智能手机不会用，希望办事窗口保留人工服务。",
    "独居老人没人探访，希望社区定期上门看看。",
    "养老机构消防设施老化，存在安全隐患。",
    "希望推广家庭养老床位，让老人在家也能得到专业照护。",
    "预交的养老服务费用没有保障，希望加强监管。",
]
ONLINE = 230
OFFLINE = 80
CONVERTED = 4
SEED = 2024


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def _build(staff: User, campaign: Campaign) -> Questionnaire:
    questionnaire = actions.create_questionnaire(
        actor=staff,
        campaign=campaign,
        title=TITLE,
        description=DESCRIPTION,
        at=_at(datetime.date(2024, 3, 25), 10),
    )
    build = [
        dict(
            kind=QuestionKind.MULTIPLE,
            text="您认为当前养老服务中最突出的问题是哪些？（最多选 5 项）",
            options=HOT_ISSUES,
            max_choices=5,
        ),
        dict(kind=QuestionKind.REGION, text="您所在的县（区）"),
        dict(kind=QuestionKind.SINGLE, text="您的身份", options=IDENTITIES),
        dict(kind=QuestionKind.RATING, text="您对本地养老服务的总体满意程度（1 分最低，5 分最高）"),
        dict(kind=QuestionKind.TEXT, text="您对养老服务还有哪些意见和建议？", required=False),
    ]
    for arguments in build:
        actions.add_question(actor=staff, questionnaire=questionnaire, **arguments)  # type: ignore[arg-type]
    return actions.publish(
        actor=staff, questionnaire=questionnaire, at=_at(datetime.date(2024, 4, 1), 9)
    )


def _answers(
    questionnaire: Questionnaire, rng: random.Random, region_ids: dict[str, int]
) -> dict[int, AnswerValue]:
    answers: dict[int, AnswerValue] = {}
    for question in questionnaire.questions.prefetch_related("options"):
        options = [option.pk for option in question.options.all()]
        if question.kind == QuestionKind.MULTIPLE:
            picks: set[int] = set()
            wanted = rng.randint(1, question.max_choices or 5)
            while len(picks) < wanted:
                picks.add(rng.choices(options, weights=ISSUE_WEIGHTS)[0])
            answers[question.pk] = sorted(picks)
        elif question.kind == QuestionKind.REGION:
            code = rng.choices(list(COUNTY_WEIGHTS), weights=list(COUNTY_WEIGHTS.values()))[0]
            answers[question.pk] = region_ids[code]
        elif question.kind == QuestionKind.SINGLE:
            answers[question.pk] = rng.choices(options, weights=IDENTITY_WEIGHTS)[0]
        elif question.kind == QuestionKind.RATING:
            answers[question.pk] = rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0]
        elif rng.random() < 0.3:
            answers[question.pk] = rng.choice(SUGGESTIONS)
    return answers


@transaction.atomic
def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
    campaign = Campaign.objects.filter(slug=CAMPAIGN).select_related("region").first()
    staff = User.objects.filter(username=STAFF).first()
    if campaign is None or staff is None:
        return
    if Questionnaire.objects.filter(campaign=campaign, title=TITLE).exists():
        return
    questionnaire = _build(staff, campaign)
    region_ids = dict(actions.region_choices(campaign).values_list("code", "pk"))
    rng = random.Random(SEED)
    start = datetime.date(2024, 4, 1)
    for number in range(ONLINE + OFFLINE):
        offline = number >= ONLINE
        day = start + datetime.timedelta(days=rng.randrange(45))
        actions.submit_response(
            actor=staff if offline else None,
            questionnaire=questionnaire,
            answers=_answers(questionnaire, rng, region_ids),
            channel=ResponseChannel.OFFLINE if offline else ResponseChannel.ONLINE,
            at=_at(day, rng.randint(8, 21), rng.randrange(60)),
        )
    actions.close(actor=staff, questionnaire=questionnaire, at=_at(datetime.date(2024, 5, 20), 18))
    # One suggestion of each of the first few kinds becomes a raw report of the public channel.
    chosen: list[int] = []
    for suggestion in SUGGESTIONS[:CONVERTED]:
        first = (
            Answer.objects.filter(response__questionnaire=questionnaire, text=suggestion)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if first is not None:
            chosen.append(first)
    actions.convert_to_raw_reports(actor=staff, questionnaire=questionnaire, answer_ids=chosen)
