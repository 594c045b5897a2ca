"""A realistic, deterministic demo data set: half a year of 督查督办 on the 19 measures.

``build_demo(store)`` replays the first half of 2025 through the store's own functions
(``assign``, ``record_progress``, ``edit_task``, ``cancel_task``), each event inside
``values.frozen_today(day)`` so that it carries the date a clerk would have recorded it.
Nothing is random except a ``random.Random`` with a fixed seed, so every build holds the
same tasks, reports and dates (only the time of day in ``recorded_at`` differs).

What the data set shows at ``DEMO_AS_OF`` (2025-06-29, a Sunday), as the light rules see it
(tests/test_demo.py holds it to this):

* red, overdue: 3-1 (due 2025-06-15), 12-2 (due 2025-06-20), and 1-2's cities that had
  not finished the parallel enrolment by its due date 2025-06-20 (xuzhou, huaian, suqian);
* red, blocked: 5-3 (land-use approval; overdue too), 1-2.lianyungang (enrolment system
  down) and 3-3.suqian (no city funds), so their parents 1-2 and 3-3 as well;
* yellow, stalled (no report for 30+ days): 3-4 (72 days), 16-3, 6-3.huaian;
* yellow, behind the expected pace (序时进度): 9-3, 14-2, 19-1.lianyungang;
* yellow, due within two weeks: 2-3, 5-1 and seven of its cities, 16-1, 19-2;
* done: 1-1, 2-1, 10-2, 13-1, 15-2, and most city shares of 1-2 and 5-1;
* cancelled: 6-4 (merged into another department's work on 2025-03-14);
* an edited due date: 4-1 (2025-04-30 -> 2025-08-31, edited 2025-04-22);
* corrected reports, each correction recorded days later: 7-1 (typed 85% for 25%, fixed
  on 2025-03-24), 3-1 (a draft reported as final on 2025-04-11, fixed 2025-04-16), and
  1-2.suzhou (reported done by mistake on 2025-05-09, fixed 2025-05-13);
* not yet started: 13-2 and 17-2 (assigned in June, starting in July);
* a block that was lifted: 18-2 (blocked 2025-03-14 to 2025-04-11).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from jsgj.catalog.catalog import OFFICE_ID
from jsgj.errors import JsgjError
from jsgj.store.db import Store
from jsgj.store.tasks import (
    Actor,
    acknowledge,
    assign,
    cancel_task,
    edit_task,
    record_progress,
    review,
)
from jsgj.values import Status, frozen_today

DEMO_AS_OF = dt.date(2025, 6, 29)
"""The demo's "today": the last Sunday of June 2025. View it with ``--as-of 2025-06-29``."""
DEMO_START = dt.date(2025, 1, 6)
"""The first Monday after New Year: the office breaks the measures down into tasks."""
DEMO_SEED = 37
SPRING_FESTIVAL = (dt.date(2025, 1, 28), dt.date(2025, 2, 4))
"""春节 holiday: nobody reports."""
OFFICE_CLERK = "li.ducha"
"""The OS user of the supervising office's clerk."""

D = dt.date


# --- the plan of each task ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """A milestone: the first report at ``at`` percent or more says ``note``."""

    at: int
    note: str
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Blocked:
    since: D
    note: str
    until: D | None = None
    resolved: str = "问题已协调解决，恢复推进"


@dataclass(frozen=True, slots=True)
class Mistake:
    """The report on ``on`` is wrong; a correction recorded on ``fixed_on`` replaces it."""

    on: D
    percent: int
    note: str
    fixed_on: D
    fix_note: str
    status: Status = Status.in_progress
    right: int | None = None
    """The percent the correction reports (default: what the plan says for that day)."""


@dataclass(frozen=True, slots=True)
class Twist:
    """How one city's share departs from its fan-out's plan."""

    pace: float | None = None
    done_on: D | None = None
    last: D | None = None
    blocked: Blocked | None = None
    mistake: Mistake | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    measure: int
    title: str
    due: D
    steps: tuple[Step, ...]
    lead: str | None = None
    """None: the measure's lead; 'cities': one share per city (notes may use {city})."""
    co: tuple[str, ...] = ()
    assigned: D = DEMO_START
    start: D | None = None
    pace: float = 1.0
    """Share of the expected pace (序时进度) the reports follow."""
    cadence: int = 7
    done_on: D | None = None
    last: D | None = None
    """The last report: the task goes silent (stalled) after it."""
    blocked: Blocked | None = None
    mistake: Mistake | None = None
    edit: tuple[D, D, str] | None = None
    """(recorded on, new due date, reason)."""
    cancel: tuple[D, str] | None = None
    twists: dict[str, Twist] = field(default_factory=dict)
    """For a city fan-out: departures of single cities from the plan."""


def _s(*steps: tuple[int, str] | tuple[int, str, str]) -> tuple[Step, ...]:
    return tuple(Step(*s) for s in steps)


PLANS: tuple[Plan, ...] = (
    # （一）完善职业教育招生机制 — 省教育厅、省人社厅、各设区市
    Plan(
        1,
        "制定2025年全省职业学校（含技工院校）招生计划",
        D(2025, 4, 30),
        _s(
            (5, "成立招生计划编制专班，向各设区市下发编制通知", "苏教办职〔2025〕2号"),
            (25, "汇总13个设区市上报的中职、技工院校招生计划建议数"),
            (50, "与省人社厅会商技工院校招生计划，形成初步方案"),
            (75, "招生计划方案报厅党组会审议通过"),
            (100, "联合印发2025年职业学校招生计划", "苏教职〔2025〕9号"),
        ),
        co=("hrss",),
        done_on=D(2025, 4, 25),
    ),
    Plan(
        1,
        "落实中等职业学校和普通高中同批次并行招生",
        D(2025, 6, 20),
        _s(
            (5, "{city}研究制定中职与普高同批次并行招生工作方案"),
            (30, "{city}印发并行招生实施办法", "{c}教发〔2025〕{n}号"),
            (55, "{city}完成中考志愿填报系统改造，中职与普高同批次填报"),
            (80, "{city}中考录取工作开始，中职与普高同批次录取"),
            (100, "{city}并行招生录取完成", "{city}2025年中考录取情况统计表.xlsx"),
        ),
        lead="cities",
        co=("education",),
        cadence=14,
        twists={
            "nanjing": Twist(done_on=D(2025, 6, 13)),
            "wuxi": Twist(done_on=D(2025, 6, 6)),
            "changzhou": Twist(done_on=D(2025, 6, 13)),
            "suzhou": Twist(
                done_on=D(2025, 6, 20),
                mistake=Mistake(
                    D(2025, 5, 9),
                    100,
                    "苏州市并行招生工作已完成",
                    D(2025, 5, 13),
                    "更正5月9日报送：误报为已完成，实际仍有2所学校未完成招生录取系统对接",
                    status=Status.done,
                ),
            ),
            "nantong": Twist(done_on=D(2025, 6, 13)),
            "yancheng": Twist(done_on=D(2025, 6, 20)),
            "yangzhou": Twist(done_on=D(2025, 6, 20)),
            "zhenjiang": Twist(done_on=D(2025, 6, 13)),
            "taizhou": Twist(done_on=D(2025, 6, 20)),
            "xuzhou": Twist(pace=0.9),
            "huaian": Twist(pace=0.85),
            "suqian": Twist(pace=0.8),
            "lianyungang": Twist(
                pace=0.85,
                blocked=Blocked(
                    D(2025, 6, 3),
                    "中考志愿填报系统与省平台对接出现故障，并行招生录取暂停，已报省教育厅",
                ),
            ),
        },
    ),
    Plan(
        1,
        "依托中西部劳务协作基地拓宽技工院校招生范围，推行“招工+招生”模式",
        D(2025, 8, 31),
        _s(
            (5, "梳理中西部劳务协作基地名单，明确对接的技工院校"),
            (20, "赴贵州、青海劳务协作基地对接“招工+招生”合作", "赴黔青对接情况报告.docx"),
            (45, "无锡、苏州两市技工院校扩大跨省招生范围获批", "苏人社函〔2025〕41号"),
            (70, "组织技工院校赴中西部开展招生宣传"),
        ),
        lead="hrss",
        co=("education",),
        pace=1.0,
    ),
    Plan(
        1,
        "在职业学校建立面向高校毕业生的常态化招生机制",
        D(2025, 10, 31),
        _s(
            (5, "调研职业学校招收普通高校毕业生情况"),
            (25, "起草面向高校毕业生常态化招生工作意见（征求意见稿）"),
            (45, "征求各设区市教育局和部分职业学校意见"),
        ),
        co=("hrss",),
        pace=1.0,
    ),
    # （二）推行“学历+技能”贯通培养模式 — 省教育厅、省委组织部、省人社厅
    Plan(
        2,
        "遴选“学历+技能”贯通培养试点院校",
        D(2025, 5, 31),
        _s(
            (5, "起草试点院校遴选办法"),
            (30, "印发试点院校申报通知", "苏教职函〔2025〕6号"),
            (60, "组织专家评审，共收到申报材料27份"),
            (
                85,
                "试点院校名单公示",
                "https://jyt.jiangsu.gov.cn/art/2025/4/18/art_58320_11523617.html",
            ),
            (100, "公布首批12所贯通培养试点院校名单", "苏教职〔2025〕14号"),
        ),
        co=("hrss",),
        done_on=D(2025, 5, 16),
    ),
    Plan(
        2,
        "开展技师学院与本科院校合作的本科技师贯通培养试点",
        D(2025, 9, 30),
        _s(
            (5, "对接有意向的本科院校和技师学院"),
            (25, "确定3对本科院校—技师学院合作试点"),
            (45, "制定本科技师贯通培养人才培养方案框架"),
            (65, "试点专业招生计划报省教育厅审核"),
        ),
        lead="hrss",
        co=("education",),
        pace=0.95,
    ),
    Plan(
        2,
        "落实技工院校毕业生参照相应学历报名参加事业单位招聘政策",
        D(2025, 6, 30),
        _s(
            (5, "梳理各地事业单位公开招聘中技工院校毕业生报考限制情况"),
            (30, "起草落实政策的通知"),
            (55, "会同省人社厅修改完善，报部领导审定"),
            (75, "通知稿征求省有关部门意见"),
        ),
        lead="organization",
        co=("hrss",),
        pace=0.9,
    ),
    # （三）提升职业学校办学质效 — 省教育厅、省人社厅、省财政厅、各设区市
    Plan(
        3,
        "建立人才需求调查和发布制度，发布年度技能人才需求目录",
        D(2025, 6, 15),
        _s(
            (5, "制定技能人才需求调查方案"),
            (25, "委托第三方机构开展重点产业技能人才需求调查"),
            (
                50,
                "形成2025年技能人才需求目录（征求意见稿）",
                "2025年技能人才需求目录（征求意见稿）.docx",
            ),
            (70, "根据各设区市反馈意见修改需求目录"),
            (85, "需求目录送省人社厅会签"),
        ),
        co=("hrss",),
        pace=0.85,
        mistake=Mistake(
            D(2025, 4, 11),
            80,
            "技能人才需求目录定稿，待发布",
            D(2025, 4, 16),
            "更正4月11日报送：误将征求意见稿当作定稿，目录仍在征求意见，进度应为50%",
            right=50,
        ),
    ),
    Plan(
        3,
        "落实职业学校专业教师企业实践制度",
        D(2025, 12, 31),
        _s(
            (5, "统计全省职业学校在职专业教师企业实践完成情况"),
            (20, "印发专业教师企业实践管理办法", "苏教师〔2025〕7号"),
            (40, "遴选首批省级教师企业实践基地86个"),
        ),
        co=("hrss",),
        pace=1.0,
    ),
    Plan(
        3,
        "各设区市整合设立校企合作专项资金",
        D(2025, 9, 30),
        _s(
            (5, "{city}研究整合设立校企合作专项资金"),
            (25, "{city}起草校企合作专项资金管理办法"),
            (50, "{city}专项资金管理办法经市政府常务会议审议"),
            (70, "{city}下达首批校企合作专项资金", "{c}财教〔2025〕{n}号"),
        ),
        lead="cities",
        co=("finance",),
        start=D(2025, 2, 17),
        cadence=14,
        twists={
            "suqian": Twist(
                pace=0.7,
                blocked=Blocked(
                    D(2025, 5, 23), "市级财力紧张，专项资金未列入年度预算调整，需待下半年预算调整"
                ),
            ),
        },
    ),
    Plan(
        3,
        "探索建立财政生均拨款与办学质量、获证率、本地就业率挂钩制度",
        D(2025, 11, 30),
        _s(
            (5, "收集兄弟省份生均拨款绩效挂钩做法"),
            (20, "起草生均拨款与办学质量挂钩实施办法（初稿）"),
            (30, "与省教育厅研究挂钩指标和权重"),
        ),
        lead="finance",
        co=("education",),
        last=D(2025, 4, 18),
    ),
    # （四）优化职业学校经费支出 — 省教育厅、省人社厅、省财政厅
    Plan(
        4,
        "出台职业学校社会培训和技术服务收入分配使用办法",
        D(2025, 4, 30),
        _s(
            (5, "梳理职业学校开展有偿性社会培训、技术服务收入情况"),
            (20, "起草收入分配使用办法"),
            (40, "办法送省财政厅、省人社厅会签"),
            (60, "根据会签意见修改，拟提交厅长办公会"),
        ),
        co=("finance", "hrss"),
        edit=(
            D(2025, 4, 22),
            D(2025, 8, 31),
            "省财政厅会签意见需补充绩效工资核定口径，经分管副秘书长同意延期至8月底",
        ),
    ),
    Plan(
        4,
        "明确公办职业学校社会服务收入作为绩效工资来源的比例",
        D(2025, 9, 30),
        _s(
            (5, "调研部分公办职业学校绩效工资来源构成"),
            (25, "测算不同比例对绩效工资总量的影响"),
            (45, "形成绩效工资来源比例意见（送审稿）"),
        ),
        lead="hrss",
        co=("finance",),
        pace=1.0,
    ),
    # （五）发展高水平技工教育 — 省人社厅、省自然资源厅、各设区市
    Plan(
        5,
        "各设区市将技工教育纳入当地教育发展规划",
        D(2025, 6, 30),
        _s(
            (5, "{city}对照要求梳理本地教育发展规划"),
            (35, "{city}起草技工教育纳入教育发展规划的调整意见"),
            (65, "{city}规划调整意见报市政府"),
            (100, "{city}已将技工教育纳入教育发展规划", "{c}政办发〔2025〕{n}号"),
        ),
        lead="cities",
        cadence=14,
        twists={
            "nanjing": Twist(done_on=D(2025, 5, 30)),
            "wuxi": Twist(done_on=D(2025, 5, 16)),
            "suzhou": Twist(done_on=D(2025, 6, 13)),
            "changzhou": Twist(done_on=D(2025, 6, 27)),
            "nantong": Twist(done_on=D(2025, 6, 13)),
            "yangzhou": Twist(done_on=D(2025, 6, 27)),
        },
    ),
    Plan(
        5,
        "开展省重点技师学院建设评估认定",
        D(2025, 10, 31),
        _s(
            (5, "修订省重点技师学院评估标准"),
            (25, "印发2025年省重点技师学院申报通知", "苏人社函〔2025〕58号"),
            (45, "组织专家对申报院校开展材料初审"),
        ),
        pace=1.05,
    ),
    Plan(
        5,
        "落实企业投资或与政府合作建设技工院校用地按教育用地管理",
        D(2025, 5, 31),
        _s(
            (5, "梳理在建、拟建技工院校用地情况"),
            (30, "起草技工院校用地按教育用地管理的通知"),
            (50, "会同省人社厅逐校核实用地性质"),
        ),
        lead="natural_resources",
        co=("hrss",),
        pace=0.75,
        blocked=Blocked(
            D(2025, 5, 19), "3所技工院校新校区用地规划用途调整须报省政府批准，暂无法按教育用地办理"
        ),
    ),
    # （六）发挥企业培养高技能人才主体作用 — 省发改委等、各设区市
    Plan(
        6,
        "开展技能型企业建设试点，确定首批试点企业名单",
        D(2025, 7, 31),
        _s(
            (5, "起草技能型企业建设试点工作方案"),
            (25, "试点方案印发", "苏人社发〔2025〕12号"),
            (50, "各设区市推荐试点企业，共收到申报142家"),
            (75, "组织评审，确定首批试点企业建议名单"),
            (
                90,
                "试点企业名单在省人社厅网站公示",
                "https://jshrss.jiangsu.gov.cn/art/2025/6/20/art_78399_11556321.html",
            ),
        ),
        lead="hrss",
        co=("industry_it", "sasac"),
        pace=1.0,
    ),
    Plan(
        6,
        "培育行业产教融合共同体和市域产教联合体",
        D(2025, 12, 31),
        _s(
            (5, "摸排现有行业产教融合共同体、市域产教联合体建设情况"),
            (20, "印发培育工作通知", "苏发改社会发〔2025〕211号"),
            (40, "遴选首批省级市域产教联合体培育对象18个"),
        ),
        co=("education",),
        pace=1.0,
    ),
    Plan(
        6,
        "各设区市引导“链主”企业深度参与职业学校专业建设和实习实训",
        D(2025, 11, 30),
        _s(
            (5, "{city}梳理重点产业链“链主”企业名单"),
            (20, "{city}组织“链主”企业与职业学校对接会"),
            (40, "{city}签订校企合作协议", "{city}链主企业校企合作协议汇总.pdf"),
            (60, "{city}“链主”企业参与专业人才培养方案修订"),
        ),
        lead="cities",
        co=("education",),
        cadence=14,
        twists={
            "huaian": Twist(last=D(2025, 5, 16)),
        },
    ),
    Plan(
        6,
        "研究国有企业举办技工院校支持性收费政策",
        D(2025, 3, 31),
        _s(
            (5, "梳理国有企业举办的技工院校收费现状"),
            (20, "起草支持性收费政策建议"),
        ),
        co=("sasac",),
        pace=0.4,
        cancel=(
            D(2025, 3, 14),
            "经省政府分管领导同意，该事项并入省发展改革委2025年教育收费政策调整统一办理，撤销本任务",
        ),
    ),
    # （七）创新高技能人才培养模式 — 省人社厅等
    Plan(
        7,
        "全面推行企业新型学徒制，全年培养新型学徒2万人",
        D(2025, 12, 31),
        _s(
            (5, "分解下达2025年企业新型学徒制培训任务", "苏人社发〔2025〕5号"),
            (20, "各设区市开班培训新型学徒4100人"),
            (40, "累计开班培训新型学徒9200人"),
            (55, "累计培训新型学徒11600人，完成全年目标58%"),
        ),
        co=("sasac", "trade_unions"),
        pace=1.05,
        mistake=Mistake(
            D(2025, 3, 21),
            85,
            "累计开班培训新型学徒7300人",
            D(2025, 3, 24),
            "更正3月21日报送：进度误填为85%，应为25%",
            right=25,
        ),
    ),
    Plan(
        7,
        "实施高技能领军人才培育计划，建立卓越技师制度",
        D(2025, 9, 30),
        _s(
            (5, "起草高技能领军人才培育计划实施方案"),
            (25, "卓越技师制度征求意见"),
            (45, "实施方案报省政府审定"),
            (65, "遴选首批卓越技师培养对象200名"),
        ),
        pace=1.0,
    ),
    Plan(
        7,
        "建立职业技能培训实名制管理和质量评估机制",
        D(2025, 8, 31),
        _s(
            (5, "梳理培训实名制管理系统需求"),
            (30, "培训实名制管理系统上线试运行"),
            (60, "制定培训质量评估指标体系"),
            (80, "开展首轮培训质量评估，抽查培训机构60家", "2025年一季度培训质量评估报告.pdf"),
        ),
        co=("education",),
        pace=1.0,
    ),
    # （八）强化高技能人才培养载体建设 — 省人社厅等
    Plan(
        8,
        "新建一批省级高技能人才培养基地和技能大师工作室",
        D(2025, 11, 30),
        _s(
            (5, "印发2025年培养载体申报通知", "苏人社函〔2025〕22号"),
            (30, "受理申报高技能人才培养基地46个、技能大师工作室118个"),
            (50, "完成专家评审"),
        ),
        co=("trade_unions",),
        pace=1.0,
    ),
    Plan(
        8,
        "支持技师学院设立省博士后创新实践基地",
        D(2025, 10, 31),
        _s(
            (5, "摸排有意向设立博士后创新实践基地的技师学院"),
            (30, "指导4所技师学院准备申报材料"),
            (50, "申报材料提交省博士后管委会"),
        ),
        co=("education",),
        pace=0.95,
    ),
    Plan(
        8,
        "建设一批公共实训基地",
        D(2025, 12, 31),
        _s(
            (5, "下达2025年公共实训基地建设项目计划", "苏发改社会发〔2025〕97号"),
            (25, "6个在建公共实训基地完成主体工程招标"),
            (45, "2个公共实训基地完成设备采购"),
        ),
        lead="development_reform",
        co=("hrss",),
        pace=1.0,
    ),
    # （九）建强急需紧缺领域高技能人才队伍
    Plan(
        9,
        "实施数字技能提升行动，建设数字技能资源供给体系",
        D(2025, 12, 31),
        _s(
            (5, "制定2025年数字技能提升行动工作要点"),
            (25, "上线数字技能培训课程资源120门"),
            (45, "组织数字技能培训2.3万人次"),
        ),
        co=("industry_it",),
        pace=1.0,
    ),
    Plan(
        9,
        "实施康养职业技能培训计划，加强托育、养老、护理、康复人才培养",
        D(2025, 10, 31),
        _s(
            (5, "制定康养职业技能培训计划", "苏民养老〔2025〕4号"),
            (25, "开展养老护理员培训8000人次"),
            (50, "开展托育、康复领域培训，累计培训1.6万人次"),
        ),
        lead="civil_affairs",
        co=("health", "women"),
        pace=1.0,
    ),
    Plan(
        9,
        "实施乡村工匠培育计划，设立乡村工匠工作站、名师工作室",
        D(2025, 9, 30),
        _s(
            (5, "起草乡村工匠培育计划"),
            (20, "开展乡村工匠认定试点"),
            (40, "设立首批乡村工匠工作站"),
        ),
        lead="agriculture",
        co=("culture_tourism", "hrss"),
        pace=0.55,
    ),
    Plan(
        9,
        "加强历史文化遗产保护修缮技艺传承人和工匠培养",
        D(2025, 12, 31),
        _s(
            (5, "梳理全省传统建筑修缮技艺传承人情况"),
            (25, "举办传统建筑修缮技艺培训班2期"),
            (45, "推荐省级传统建筑工匠30名"),
        ),
        lead="housing",
        co=("culture_tourism",),
        pace=1.0,
    ),
    # （十）引导高技能人才攻克技术技能难题
    Plan(
        10,
        "组建人才攻关联合体，发布高技能领军人才“揭榜领题”项目清单",
        D(2025, 7, 15),
        _s(
            (5, "征集企业技术技能难题"),
            (30, "组建人才攻关联合体15个"),
            (60, "形成“揭榜领题”项目清单（送审稿）"),
            (85, "“揭榜领题”项目清单报厅审定"),
        ),
        co=("hrss",),
        pace=1.0,
    ),
    Plan(
        10,
        "征集并发布急需紧缺技能需求清单",
        D(2025, 5, 15),
        _s(
            (5, "印发急需紧缺技能需求征集通知"),
            (40, "收集行业企业技能需求1260条"),
            (75, "专家论证，形成需求清单"),
            (100, "发布2025年急需紧缺技能需求清单", "苏工信综合〔2025〕88号"),
        ),
        co=("federation_commerce",),
        done_on=D(2025, 5, 9),
    ),
    # （十一）发挥高技能人才技艺创新传承作用
    Plan(
        11,
        "出台支持高技能人才到职业学校兼职管理办法",
        D(2025, 8, 31),
        _s(
            (5, "调研职业学校聘用高技能人才兼职情况"),
            (30, "起草兼职管理办法"),
            (55, "办法征求省人社厅、省国资委意见"),
        ),
        co=("hrss", "sasac"),
        pace=0.95,
    ),
    Plan(
        11,
        "组织技能大师、劳模工匠开发绝招绝技示教课程",
        D(2025, 11, 30),
        _s(
            (5, "发布示教课程开发征集通知", "苏工发〔2025〕9号"),
            (30, "确定首批示教课程开发项目40个"),
            (45, "首批示教课程完成脚本编写"),
        ),
        lead="trade_unions",
        co=("hrss",),
        pace=1.0,
    ),
    # （十二）拓宽技能人才职业发展通道
    Plan(
        12,
        "推进特级技师、首席技师评聘试点",
        D(2025, 9, 30),
        _s(
            (5, "确定特级技师、首席技师评聘试点企业20家"),
            (30, "印发评聘试点工作方案", "苏人社发〔2025〕19号"),
            (55, "试点企业完成首轮评聘"),
        ),
        co=("sasac",),
        pace=1.0,
    ),
    Plan(
        12,
        "在苏州试点国（境）外职业技能比照认定，发布认可清单",
        D(2025, 6, 20),
        _s(
            (5, "与苏州市对接试点方案"),
            (30, "梳理国（境）外职业资格目录"),
            (50, "起草国（境）外职业资格认可清单（初稿）"),
            (70, "认可清单征求相关行业主管部门意见"),
        ),
        pace=0.7,
    ),
    # （十三）健全技能评价标准体系
    Plan(
        13,
        "组织开发并实施一批专项职业能力考核项目",
        D(2025, 12, 31),
        _s(
            (5, "发布专项职业能力考核规范开发征集通知"),
        ),
        start=D(2025, 7, 1),
        assigned=D(2025, 6, 23),
    ),
    Plan(
        13,
        "动态发布技能人才评价技术资源目录",
        D(2025, 4, 30),
        _s(
            (5, "汇总各评价机构题库、考评员资源"),
            (50, "形成技能人才评价技术资源目录"),
            (
                100,
                "技能人才评价技术资源目录在省职业技能鉴定中心网站发布",
                "https://jshrss.jiangsu.gov.cn/art/2025/4/3/art_78411_11510958.html",
            ),
        ),
        done_on=D(2025, 4, 3),
    ),
    # （十四）推行职业技能等级认定
    Plan(
        14,
        "支持企业推行“车间+考场”互动评价模式",
        D(2025, 12, 31),
        _s(
            (5, "遴选“车间+考场”评价试点企业"),
            (25, "召开“车间+考场”评价现场推进会"),
            (45, "试点企业开展岗位评价1.1万人次"),
        ),
        co=("sasac",),
        pace=1.0,
    ),
    Plan(
        14,
        "开展技能人才评价机构质量督导和星级管理",
        D(2025, 8, 31),
        _s(
            (5, "制定评价机构质量督导工作方案"),
            (20, "对18家评价机构开展首轮督导"),
            (40, "发布评价机构星级评定结果"),
        ),
        pace=0.4,
    ),
    # （十五）强化竞赛选拔机制
    Plan(
        15,
        "举办第二届江苏技能状元大赛",
        D(2025, 11, 30),
        _s(
            (5, "起草第二届江苏技能状元大赛总体方案"),
            (25, "大赛总体方案印发", "苏人社发〔2025〕27号"),
            (45, "确定比赛项目35个、承办单位"),
        ),
        co=("trade_unions",),
        pace=1.0,
    ),
    Plan(
        15,
        "遴选建设世界技能大赛、全国技能大赛竞赛集训基地",
        D(2025, 5, 31),
        _s(
            (5, "印发集训基地申报通知"),
            (40, "组织专家实地评估"),
            (100, "公布集训基地名单", "苏人社函〔2025〕76号"),
        ),
        done_on=D(2025, 5, 23),
    ),
    Plan(
        15,
        "开展“江苏工匠”岗位练兵职业技能竞赛活动",
        D(2025, 10, 31),
        _s(
            (5, "部署2025年岗位练兵职业技能竞赛活动", "苏工发〔2025〕3号"),
            (30, "各级工会组织开展岗位练兵竞赛1200余场"),
            (50, "举办省级职工职业技能竞赛决赛6项"),
        ),
        lead="trade_unions",
        co=("hrss",),
        pace=1.0,
    ),
    # （十六）完善技能要素参与分配制度
    Plan(
        16,
        "发布分职业（工种）、分技能等级的工资价位信息",
        D(2025, 7, 10),
        _s(
            (5, "开展企业薪酬调查，覆盖企业8000家"),
            (40, "完成调查数据审核"),
            (70, "形成分职业、分技能等级工资价位（送审稿）"),
            (90, "工资价位信息报厅领导审定，拟7月上旬发布"),
        ),
        co=("sasac",),
        pace=1.0,
    ),
    Plan(
        16,
        "指导国有企业建立向技能人才倾斜的工资分配机制",
        D(2025, 12, 31),
        _s(
            (5, "调研省属企业技能人才薪酬分配情况"),
            (25, "起草关于省属企业工资分配向技能人才倾斜的指导意见"),
            (45, "指导意见征求省属企业意见"),
        ),
        lead="sasac",
        co=("hrss",),
        pace=1.0,
    ),
    Plan(
        16,
        "完善科技成果转化收益分享机制，奖励技术革新中贡献突出的高技能人才",
        D(2025, 10, 31),
        _s(
            (5, "梳理现行科技成果转化收益分享政策"),
            (20, "起草收益分享机制完善意见"),
            (35, "意见稿送省人社厅会签"),
        ),
        lead="science",
        co=("hrss",),
        last=D(2025, 5, 23),
    ),
    # （十七）加大高技能人才表彰激励
    Plan(
        17,
        "评选2025年度江苏大工匠、江苏工匠",
        D(2025, 12, 31),
        _s(
            (5, "印发2025年度评选通知"),
        ),
        co=("trade_unions",),
        start=D(2025, 7, 15),
        assigned=D(2025, 6, 23),
    ),
    Plan(
        17,
        "在“333工程”等省级人才项目中适当提高高技能人才入选比例",
        D(2025, 8, 31),
        _s(
            (5, "梳理近三年高技能人才入选省级人才项目情况"),
            (30, "研究提高入选比例的具体办法"),
            (55, "在2025年“333工程”申报通知中单列高技能人才类别", "苏组通〔2025〕16号"),
        ),
        lead="organization",
        co=("hrss",),
        pace=1.0,
    ),
    # （十八）优化高技能人才服务
    Plan(
        18,
        "完善全省统一的职业技能培训评价服务、信用管理云平台",
        D(2025, 12, 31),
        _s(
            (5, "编制云平台升级需求"),
            (25, "完成云平台升级项目招标"),
            (45, "信用管理模块上线试运行"),
        ),
        co=("industry_it",),
        pace=1.0,
    ),
    Plan(
        18,
        "支持各地将高技能人才纳入城市直接落户范围",
        D(2025, 9, 30),
        _s(
            (5, "梳理各设区市落户政策中高技能人才条款"),
            (30, "起草高技能人才落户政策指导意见"),
            (50, "指导意见征求省人社厅意见"),
        ),
        lead="public_security",
        co=("hrss",),
        pace=1.0,
        blocked=Blocked(
            D(2025, 3, 14),
            "高技能人才认定口径需与省人社厅人才库统一，待人社厅明确",
            until=D(2025, 4, 11),
            resolved="已与省人社厅明确以人才库认定为准，恢复推进",
        ),
    ),
    Plan(
        18,
        "组织高技能人才专场招聘会",
        D(2025, 10, 31),
        _s(
            (5, "制定2025年高技能人才专场招聘会计划"),
            (
                30,
                "举办春季高技能人才专场招聘会，进场企业420家",
                "春季高技能人才专场招聘会总结.docx",
            ),
            (55, "筹备秋季专场招聘会"),
        ),
        pace=1.0,
    ),
    # （十九）加强保障体系建设 — 省人社厅等、各设区市
    Plan(
        19,
        "各设区市将高技能人才工作纳入经济社会发展和考核范围",
        D(2025, 9, 30),
        _s(
            (5, "{city}研究将高技能人才工作纳入综合考核"),
            (30, "{city}起草高技能人才工作考核指标"),
            (55, "{city}考核指标报市委组织部、市考核办"),
            (75, "{city}高技能人才工作纳入年度高质量发展考核", "{c}委办发〔2025〕{n}号"),
        ),
        lead="cities",
        co=("hrss",),
        cadence=14,
        twists={
            "lianyungang": Twist(pace=0.45),
        },
    ),
    Plan(
        19,
        "落实企业职工教育经费税前扣除政策",
        D(2025, 7, 10),
        _s(
            (5, "梳理2024年度汇算清缴中职工教育经费扣除情况"),
            (40, "开展政策宣传辅导，覆盖企业3.2万户"),
            (70, "在电子税务局推送政策提醒", "苏税发〔2025〕18号"),
            (85, "核查重点企业扣除情况"),
        ),
        lead="taxation",
        co=("finance",),
        pace=1.0,
    ),
    Plan(
        19,
        "健全高技能人才监测指标体系，开展监测评估和跟踪检查",
        D(2025, 12, 31),
        _s(
            (5, "研究每万名劳动者中高技能人才数等监测指标"),
            (25, "形成监测指标体系（征求意见稿）"),
            (45, "开展上半年监测评估"),
        ),
        pace=1.0,
    ),
)

CITY_ABBR = {
    "nanjing": "宁",
    "wuxi": "锡",
    "xuzhou": "徐",
    "changzhou": "常",
    "suzhou": "苏市",
    "nantong": "通",
    "lianyungang": "连",
    "huaian": "淮",
    "yancheng": "盐",
    "yangzhou": "扬",
    "zhenjiang": "镇",
    "taizhou": "泰",
    "suqian": "宿",
}
FILLERS = (
    "按计划推进，本周无新增问题",
    "召开专题推进会，逐项梳理任务清单",
    "与配合单位对接，细化责任分工和时间节点",
    "赴基层开展调研，收集意见建议",
    "相关材料正在修改完善",
    "阶段性进展已报分管厅领导",
    "按周调度，各项工作有序推进",
)
CITY_FILLERS = (
    "{city}按计划推进，本期无新增问题",
    "{city}召开专题会议调度推进",
    "{city}督促各县（市、区）抓好落实",
    "{city}阶段性进展已报分管副市长",
    "{city}相关材料正在修改完善",
)
BLOCKED_FILLERS = (
    "问题尚未解决，已提请省政府办公厅协调",
    "继续与相关部门沟通，暂无实质性进展",
    "等待有关部门书面答复",
)


# --- from plans to events --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportSpec:
    task: str
    date: D
    recorded: D
    status: Status
    percent: int
    note: str
    evidence: str | None
    by: str
    corrects_date: D | None = None
    """For a correction: the date of the report it replaces."""


CLAIM_EVIDENCE = "办结报告及相关文件（见附件）"
"""The evidence (佐证材料) of a claim of completion whose plan names none."""
RETURN_REASON = "佐证材料显示尚有学校未完成招生录取，不符合办结条件，请继续推进"
CONTACTS = ("王晓明", "李静", "张伟", "刘洋", "陈芳", "杨帆", "赵磊", "黄丽", "周杰", "吴敏")
"""Contact persons (联络员) named at 签收, in turn."""
UNACKNOWLEDGED = frozenset({"16-3", "6-3.huaian"})
"""Tasks whose lead never acknowledged them: yellow, 未签收."""


def _lead_of(task_id: str, specs: list[ReportSpec]) -> str:
    """The reporter of a task's own reports (the lead: a city for its share)."""
    return (
        task_id.split(".", 1)[1]
        if "." in task_id
        else next(s.by for s in specs if s.task == task_id)
    )


def _working_day_after(day: D) -> D:
    nxt = day + dt.timedelta(days=1)
    while nxt.weekday() >= 5:
        nxt += dt.timedelta(days=1)
    return nxt


def _pct(start: D, end: D, day: D, pace: float, rng: random.Random) -> int:
    span = max(1, (end - start).days)
    raw = pace * (day - start).days / span * 100 * rng.uniform(0.93, 1.07)
    return int(min(95, max(5, round(raw / 5) * 5)))


def _fill(text: str, city: str | None, name: str | None, rng: random.Random) -> str:
    if city is None:
        return text
    return text.format(city=name, c=CITY_ABBR[city], n=rng.randint(8, 96))


def schedule(
    plan: Plan,
    task_id: str,
    reporter: str,
    rng: random.Random,
    *,
    city: str | None = None,
    city_name: str | None = None,
    twist: Twist | None = None,
) -> list[ReportSpec]:
    """The reports one task receives from its start up to DEMO_AS_OF (pure: no database)."""
    twist = twist or Twist()
    pace = twist.pace if twist.pace is not None else plan.pace
    if city is not None and twist.pace is None and twist.done_on is None:
        pace = round(rng.uniform(0.85, 1.2), 2)
    done_on = twist.done_on or plan.done_on
    last = twist.last or plan.last
    blocked = twist.blocked or plan.blocked
    mistake = twist.mistake or plan.mistake
    start = plan.start or plan.assigned
    end = done_on or (plan.edit[1] if plan.edit else plan.due)
    stop = min(d for d in (done_on, last, DEMO_AS_OF, plan.cancel[0] if plan.cancel else None) if d)
    forced = {
        d
        for d in (
            done_on,
            last,
            mistake and mistake.on,
            blocked and blocked.since,
            blocked and blocked.until,
        )
        if d
    }
    weekday = rng.randint(1, 4)  # the day of the week this department usually reports
    phase = rng.randint(0, 1)
    out: list[ReportSpec] = []
    percent, step_note, was_blocked = 0, "", False
    monday = DEMO_START - dt.timedelta(days=DEMO_START.weekday())
    week = 0
    while monday <= stop:
        in_week = sorted(d for d in forced if monday <= d < monday + dt.timedelta(days=7))
        day = in_week[0] if in_week else monday + dt.timedelta(days=weekday)
        week += 1
        monday += dt.timedelta(days=7)
        if not in_week:
            if plan.cadence == 14 and week % 2 == phase:
                continue
            if plan.cadence == 7 and rng.random() < 0.08:  # a missed week
                continue
        if day < max(start, plan.assigned) or day > stop:
            continue
        if SPRING_FESTIVAL[0] <= day <= SPRING_FESTIVAL[1]:
            continue
        recorded = day
        if rng.random() < 0.15:
            recorded = min(_working_day_after(day), DEMO_AS_OF)
        evidence: str | None = None
        is_blocked = bool(
            blocked and blocked.since <= day and (blocked.until is None or day < blocked.until)
        )
        if done_on is not None and day == done_on:
            status, percent = Status.done, 100
            final = plan.steps[-1]
            note = _fill(final.note, city, city_name, rng)
            evidence = _fill(final.evidence, city, city_name, rng) if final.evidence else None
        elif is_blocked and blocked is not None:
            status = Status.blocked
            note = blocked.note if not was_blocked else rng.choice(BLOCKED_FILLERS)
        else:
            status = Status.in_progress
            percent = max(percent, _pct(start, end, day, pace, rng))
            if mistake is not None and day == mistake.on and mistake.right is not None:
                percent = mistake.right
            if done_on is not None:
                percent = min(percent, 95)
            step = [s for s in plan.steps if s.at <= percent and s.at < 100][-1]
            if was_blocked and blocked is not None:
                note = blocked.resolved
            elif step.note != step_note:
                note = _fill(step.note, city, city_name, rng)
                evidence = _fill(step.evidence, city, city_name, rng) if step.evidence else None
                step_note = step.note
            elif city is not None:
                note = rng.choice(CITY_FILLERS).format(city=city_name)
            else:
                note = rng.choice(FILLERS)
        was_blocked = is_blocked
        spec = ReportSpec(task_id, day, recorded, status, percent, note, evidence, reporter)
        if mistake is not None and day == mistake.on:
            wrong = ReportSpec(
                task_id,
                day,
                recorded,
                mistake.status,
                mistake.percent,
                _fill(mistake.note, city, city_name, rng),
                None,
                reporter,
            )
            fix = ReportSpec(
                task_id,
                day,
                mistake.fixed_on,
                spec.status,
                spec.percent,
                _fill(mistake.fix_note, city, city_name, rng),
                spec.evidence,
                reporter,
                corrects_date=day,
            )
            out += [wrong, fix]
        else:
            out.append(spec)
    return out


# --- replaying the events through the store -----------------------------------------


@dataclass(order=True)
class _Event:
    day: D
    rank: int
    seq: int
    run: Callable[[], None] = field(compare=False)


def _expected_ids(plans: tuple[Plan, ...]) -> list[str]:
    """The id each plan's task gets: numbered per measure in the order of assignment."""
    seen: dict[int, int] = {}
    ids = [""] * len(plans)
    for i in sorted(range(len(plans)), key=lambda i: (plans[i].assigned, i)):
        p = plans[i]
        seen[p.measure] = seen.get(p.measure, 0) + 1
        ids[i] = f"{p.measure}-{seen[p.measure]}"
    return ids


def build_demo(store: Store) -> None:
    """Fill an empty database with the demo's half year of tasks and reports."""
    if store.query("SELECT 1 FROM tasks LIMIT 1"):
        raise JsgjError(f"{store.path}: the demo needs an empty database; it already holds tasks")
    catalog = store.catalog
    rng = random.Random(DEMO_SEED)
    office = Actor(OFFICE_ID, OFFICE_CLERK)
    events: list[_Event] = []
    report_ids: dict[tuple[str, D], int] = {}

    def add(day: D, rank: int, run: Callable[[], None]) -> None:
        events.append(_Event(day, rank, len(events), run))

    def assign_event(plan: Plan, expected: str) -> Callable[[], None]:
        def run() -> None:
            ids = assign(
                store,
                plan.measure,
                plan.title,
                lead=plan.lead,
                co=plan.co,
                due=plan.due,
                start=plan.start,
                actor=office,
                on=plan.assigned,
            )
            if ids[0] != expected:
                raise AssertionError(f"demo: expected task {expected}, got {ids[0]}")

        return run

    def report_event(r: ReportSpec) -> Callable[[], None]:
        def run() -> None:
            corrects = report_ids[(r.task, r.corrects_date)] if r.corrects_date else None
            report_ids[(r.task, r.date)] = record_progress(
                store,
                r.task,
                status=r.status,
                note=r.note,
                percent=r.percent,
                report_date=r.date,
                by=r.by,
                evidence=r.evidence or (CLAIM_EVIDENCE if r.status is Status.done else None),
                corrects=corrects,
                actor_user=f"{r.by}.lly",  # 联络员: the department's liaison
            )

        return run

    def edit_event(task_id: str, due: D, reason: str) -> Callable[[], None]:
        def run() -> None:
            edit_task(store, task_id, reason=reason, due=due, actor=office)

        return run

    def cancel_event(task_id: str, reason: str) -> Callable[[], None]:
        def run() -> None:
            cancel_task(store, task_id, reason=reason, actor=office)

        return run

    def ack_event(task_id: str, by: str, index: int) -> Callable[[], None]:
        def run() -> None:
            name = CONTACTS[index % len(CONTACTS)]
            phone = f"025-{83790000 + index * 37:08d}"
            acknowledge(store, task_id, by=by, contact=name, phone=phone, actor_user=f"{by}.lly")

        return run

    def review_event(task_id: str, approve: bool, reason: str | None) -> Callable[[], None]:
        def run() -> None:
            review(store, task_id, approve=approve, reason=reason, actor_user=OFFICE_CLERK)

        return run

    specs: list[ReportSpec] = []
    acks = 0
    for plan, task_id in zip(PLANS, _expected_ids(PLANS), strict=True):
        add(plan.assigned, 0, assign_event(plan, task_id))
        if plan.edit:
            add(plan.edit[0], 1, edit_event(task_id, plan.edit[1], plan.edit[2]))
        if plan.cancel:
            add(plan.cancel[0], 3, cancel_event(task_id, plan.cancel[1]))
        measure = catalog.measure(plan.measure)
        lead = plan.lead or catalog.lead_id(measure)
        members = catalog.department(lead).members
        shares: list[tuple[str, str | None, str | None]] = [
            (f"{task_id}.{m}", m, catalog.department(m).short) for m in members
        ] or [(task_id, None, None)]
        for share_id, city, name in shares:
            reporter = city or lead
            twist = plan.twists.get(city) if city else None
            # 签收 the next working day, except where the demo shows a task never
            # acknowledged (its lead has not reported either).
            if share_id not in UNACKNOWLEDGED:
                add(_working_day_after(plan.assigned), 1, ack_event(share_id, reporter, acks))
                acks += 1
            for spec in schedule(
                plan, share_id, reporter, rng, city=city, city_name=name, twist=twist
            ):
                add(spec.recorded, 2, report_event(spec))
                specs.append(spec)

    # 审核: each claim of completion is reviewed three working days after it was
    # recorded; one corrected later (a premature 已完成) is returned with the reason
    # instead; claims recorded in the last days before DEMO_AS_OF still await review.
    corrected = {(s.task, s.corrects_date) for s in specs if s.corrects_date}
    for spec in specs:
        if spec.status is not Status.done or spec.by != _lead_of(spec.task, specs):
            continue
        day = spec.recorded
        for _ in range(3):
            day = _working_day_after(day)
        if (spec.task, spec.date) in corrected:
            fix = min(
                s.recorded for s in specs if s.corrects_date == spec.date and s.task == spec.task
            )
            add(min(day, fix), 1, review_event(spec.task, False, RETURN_REASON))
        elif day <= DEMO_AS_OF:
            add(day, 3, review_event(spec.task, True, None))

    for event in sorted(events):
        with frozen_today(event.day):
            event.run()
    _record_indicators(store)


# Year-end figures, 2021-2024, for the indicators (data/indicators.yaml): the province and
# a few cities, chosen so that every status shows at DEMO_AS_OF: met (the province's skilled
# share, 苏州), on track (the province's high-skilled share, 南京), off track (宿迁, 连云港,
# 徐州) and monitored (per 10,000 workers, which has no target value).
INDICATOR_SERIES: dict[str, dict[str, tuple[float, ...]]] = {
    "skilled_share_of_employed": {
        "province": (27.9, 28.7, 29.4, 30.2),
        "nanjing": (29.6, 30.1, 30.9, 31.4),
        "suzhou": (30.8, 31.5, 32.1, 32.9),
        "lianyungang": (25.2, 25.9, 26.8, 27.5),
        "suqian": (24.1, 24.6, 25.0, 25.3),
    },
    "high_skilled_share_of_skilled": {
        "province": (30.4, 31.6, 32.8, 33.9),
        "nanjing": (32.0, 33.1, 34.0, 34.9),
        "suzhou": (33.8, 34.6, 35.3, 36.1),
        "xuzhou": (29.0, 30.2, 31.5, 32.6),
        "suqian": (26.0, 26.4, 26.9, 27.3),
    },
    "high_skilled_per_10k_workers": {"province": (392, 418, 447, 476)},
}
INDICATOR_YEARS = (2021, 2022, 2023, 2024)


def _record_indicators(store: Store) -> None:
    """Each year's figures are recorded when they are published, the next March."""
    from jsgj.catalog.indicators import load_indicators
    from jsgj.paths import indicators_path
    from jsgj.store.indicators import record_observation

    indicators = load_indicators(indicators_path())
    for index, year in enumerate(INDICATOR_YEARS):
        with frozen_today(D(year + 1, 3, 14)):
            for indicator_id, regions in INDICATOR_SERIES.items():
                indicator = indicators.get(indicator_id)
                for region, values in regions.items():
                    where = (
                        "江苏省" if region == "province" else store.catalog.department(region).short
                    )
                    source = (
                        f"{year}年{where}国民经济和社会发展统计公报"
                        if indicator.is_percent
                        else f"省人力资源社会保障厅{year}年度高技能人才监测报告"
                    )
                    record_observation(
                        store,
                        indicator,
                        float(values[index]),
                        observed_on=D(year, 12, 31),
                        region=region,
                        source=source,
                    )


def demo_summary(store: Store) -> dict[str, int]:
    """Counts for the one-line summary of ``jsgj demo``."""
    row = store.query(
        """SELECT
             (SELECT COUNT(*) FROM tasks WHERE parent_id IS NULL) AS tasks,
             (SELECT COUNT(*) FROM tasks WHERE parent_id IS NOT NULL) AS city_shares,
             (SELECT COUNT(*) FROM progress_reports) AS reports,
             (SELECT COUNT(*) FROM progress_reports WHERE corrects IS NOT NULL) AS corrections,
             (SELECT COUNT(*) FROM tasks WHERE cancelled AND parent_id IS NULL) AS cancelled"""
    )[0]
    return {k: int(v) for k, v in row.items()}
