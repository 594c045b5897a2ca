"""A deterministic province-scale jsgj database: ten years of 督查督办 on the 19 measures.

    python benchmarks/generate.py [--out FILE] [--tasks N] [--reports N] [--force]

Default scale (what ``make bench`` measures): 20,000 tasks - 600 of them shared out to
the 13 cities, so 600 fan-out parents and 7,800 city tasks, plus 11,600 tasks of one
department - and 1,000,000 progress reports recorded from 2024-07-01 to 2034-06-30,
about 1% of them corrections of an earlier report, about 10% from imported returns
(with fingerprints), notes and evidence in Chinese. Tasks are created all through the
ten years; 12% have their due date extended, 3% are cancelled (撤销), some city shares
are cancelled alone. Nothing is random except ``random.Random(SEED)``: the same
arguments always give the same rows, byte for byte.

How it is written: the schema is jsgj's own (``Store.open`` runs the migrations); the
event logs (``task_revisions``, ``progress_reports``, ``indicator_observations``) are
bulk-inserted in one transaction in recording order, as clerks would have appended
them, together with the derived ``tasks`` definitions and ``task_departments`` (the
latest revision's, as ``store.tasks`` writes them); then the derived progress columns
are rebuilt with the store's own ``refresh`` for every task, in one ``Store.write``.
The file must pass ``jsgj db check`` (``check_database``) before it is kept; it is
built beside its target and renamed into place, so an interrupted run leaves nothing.

``province_db(work)`` returns the cached file under ``benchmarks/work/``, named by
``VERSION`` and the scale, generating it only when missing: bump ``VERSION`` whenever
the generated content changes. A cached file written by an older schema is migrated
by opening it (``Store.open``), as any user's file would be.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 2
"""Bump when the generated content changes: the cache key."""
SEED = 202437
START = dt.date(2024, 7, 1)
END = dt.date(2034, 6, 30)
"""The last recording day: benchmarks run with JSGJ_TODAY=END."""
TASKS = 20_000
REPORTS = 1_000_000
FANOUT_SHARE = 0.03
"""Of the tasks, the share that are fan-out parents (each with 13 city tasks)."""

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"

OFFICE = "office"
CLERKS = ("zhang", "wang", "li", "zhao", "chen", "liu", "yang", "huang", "zhou", "wu")

# --- Chinese text ------------------------------------------------------------------

_TITLE_VERBS = (
    "制定",
    "完善",
    "推进",
    "组织实施",
    "建立健全",
    "开展",
    "落实",
    "深化",
    "培育",
    "打造",
)
_TITLE_OBJECTS = (
    "高技能人才培训基地建设",
    "技能大师工作室认定",
    "“江苏工匠”遴选",
    "职业技能等级认定",
    "新八级工职业技能等级制度",
    "企业新型学徒制培训",
    "职业院校产教融合项目",
    "技能人才薪酬分配指引",
    "首席技师选聘",
    "技能竞赛集训基地",
    "乡村工匠培育",
    "技工院校办学质量评价",
    "高技能人才与专业技术人才职业发展贯通",
    "职业技能培训补贴发放",
    "工匠学院建设",
    "劳模和工匠人才创新工作室",
    "技能人才表彰激励",
    "技能人才住房保障",
)
_TITLE_TAILS = ("工作", "试点", "实施方案", "专项行动", "三年计划", "年度任务", "配套政策")

_NOTE_OPENINGS = (
    "本周",
    "本月",
    "近期",
    "截至目前",
    "本阶段",
    "报告期内",
    "上周以来",
    "按照省政府部署，",
)
_NOTE_ACTIONS = (
    "召开专题推进会",
    "完成调研走访",
    "印发实施方案",
    "组织职业技能竞赛",
    "开展职业技能培训",
    "遴选高技能人才",
    "落实培训补贴资金",
    "修订评价标准",
    "对接重点企业",
    "举办工匠论坛",
    "完成基地评估验收",
    "组织专家评审",
    "开展政策宣讲",
    "推进校企合作签约",
    "完成数据汇总上报",
)
_NOTE_AMOUNTS = ("{n}人次", "{n}家企业", "{n}万元", "{n}个项目", "{n}场", "{n}名学员")
_NOTE_TAILS = (
    "，进展顺利。",
    "，下一步将加快推进。",
    "，已报分管领导审定。",
    "，仍需协调用地指标。",
    "，资金已拨付到位。",
    "，部分企业参与积极性不高，正在督促。",
    "，与序时进度基本一致。",
    "，已形成阶段性成果。",
)
_BLOCKED_TAILS = (
    "，因用地审批未完成，工作受阻。",
    "，配套资金尚未落实，暂停推进。",
    "，牵头单位机构调整，工作暂缓。",
)
_DONE_NOTES = (
    "全面完成年度任务，已形成总结报告。",
    "任务已完成，成果通过验收。",
    "已完成全部建设内容并投入使用。",
)
_EDIT_REASONS = (
    "因用地审批延后，申请延长完成时限",
    "根据省政府工作安排调整完成时限",
    "配套资金到位延迟，经同意延期",
    "与相关部门协商后调整截止日期",
)
_CANCEL_REASONS = (
    "任务并入其他部门工作，予以撤销",
    "政策调整，不再实施",
    "重复立项，予以撤销",
)
_CORRECTION_PREFIX = "更正："


def _note(rng: random.Random, status: str) -> str:
    if status == "done":
        return rng.choice(_DONE_NOTES)
    amount = rng.choice(_NOTE_AMOUNTS).format(n=rng.randrange(2, 5000))
    tail = rng.choice(_BLOCKED_TAILS if status == "blocked" else _NOTE_TAILS)
    return f"{rng.choice(_NOTE_OPENINGS)}{rng.choice(_NOTE_ACTIONS)}{amount}{tail}"


def _evidence(rng: random.Random, day: dt.date) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return f"苏人社发〔{day.year}〕{rng.randrange(1, 200)}号"
    if roll < 0.15:
        return f"附件：{day:%Y%m}工作台账.xlsx"
    return None


# --- the plan -------------------------------------------------------------------------


@dataclass(slots=True)
class Task:
    id: str
    measure: int
    seq: int
    parent: str | None
    created: dt.date
    title: str
    lead: str
    co: list[str]
    start: dt.date
    due: dt.date | None
    edit_on: dt.date | None = None
    new_due: dt.date | None = None
    cancel_on: dt.date | None = None
    children: list[Task] = field(default_factory=list)


def _ts(day: dt.date, micro: int) -> int:
    """A recording moment as one sortable integer (microseconds since START)."""
    return (day - START).days * 86_400_000_000 + micro


def _recorded_at(ts: int) -> str:
    days, micro = divmod(ts, 86_400_000_000)
    day = START + dt.timedelta(days=days)
    secs, us = divmod(micro, 1_000_000)
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    return f"{day.isoformat()}T{h:02d}:{m:02d}:{s:02d}.{us:06d}+00:00"


def _day_of(ts: int) -> str:
    return (START + dt.timedelta(days=ts // 86_400_000_000)).isoformat()


def _work_time(rng: random.Random) -> int:
    """08:30-18:00 (the clerks' day), in microseconds."""
    return rng.randrange(30_600_000_000, 64_800_000_000)


def plan_tasks(catalog: Any, rng: random.Random, tasks: int) -> list[Task]:
    """Units (a task of one department, or a fan-out parent with its 13 cities) in
    creation order, with their ids, definitions, edits and cancellations."""
    groups = {d.id: d for d in catalog.departments if d.members}
    cities_measures = [
        m.number for m in catalog.measures if any(g in catalog.department_ids(m) for g in groups)
    ]
    fanouts = round(tasks * FANOUT_SHARE)
    members = len(next(iter(groups.values())).members) if groups else 0
    plain = tasks - fanouts * (members + 1)
    span = (END - START).days - 120
    units: list[tuple[dt.date, int, bool]] = []
    for i in range(fanouts + plain):
        units.append((START + dt.timedelta(days=rng.randrange(span)), i, i < fanouts))
    rng.shuffle(units)
    units.sort(key=lambda u: (u[0], u[1]))
    seqs: dict[int, int] = {}
    out: list[Task] = []
    for created, _, fan in units:
        if fan:
            measure = catalog.measure(rng.choice(cities_measures))
            group = next(g for g in catalog.department_ids(measure) if g in groups)
            lead = group
            pool = [d for d in catalog.department_ids(measure) if d not in groups]
        else:
            measure = catalog.measure(rng.randrange(1, 20))
            eligible = [d for d in catalog.eligible_ids(measure) if d not in groups]
            lead = catalog.lead_id(measure) if rng.random() < 0.6 else rng.choice(eligible)
            pool = [d for d in catalog.department_ids(measure) if d not in groups and d != lead]
        co = sorted(rng.sample(pool, min(len(pool), rng.choice((0, 0, 1, 1, 2, 3)))))
        co = [d for d in co if d != lead]
        seq = seqs.get(measure.number, 0) + 1
        seqs[measure.number] = seq
        start = created + dt.timedelta(days=rng.randrange(0, 31))
        due = start + dt.timedelta(days=rng.randrange(90, 1100)) if rng.random() < 0.9 else None
        title = (
            f"{rng.choice(_TITLE_VERBS)}{rng.choice(_TITLE_OBJECTS)}"
            f"{rng.choice(_TITLE_TAILS)}（{created.year}年）"
        )
        task = Task(
            f"{measure.number}-{seq}",
            measure.number,
            seq,
            None,
            created,
            title,
            lead,
            co,
            start,
            due,
        )
        last = min(END, due or END)
        if due is not None and rng.random() < 0.12 and (last - created).days > 40:
            task.edit_on = created + dt.timedelta(days=rng.randrange(30, (last - created).days))
            task.new_due = due + dt.timedelta(days=rng.randrange(30, 366))
        if rng.random() < 0.03 and (END - created).days > 30:
            task.cancel_on = created + dt.timedelta(days=rng.randrange(20, (END - created).days))
            if task.edit_on is not None and task.edit_on >= task.cancel_on:
                task.edit_on = task.new_due = None
        if fan:
            for city in groups[lead].members:
                child = Task(
                    f"{task.id}.{city}",
                    measure.number,
                    seq,
                    task.id,
                    created,
                    title,
                    city,
                    list(co),
                    start,
                    due,
                    task.edit_on,
                    task.new_due,
                    task.cancel_on,
                )
                if child.cancel_on is None and rng.random() < 0.01:
                    child.cancel_on = created + dt.timedelta(
                        days=rng.randrange(20, max(21, (END - created).days))
                    )
                    if child.edit_on is not None and child.edit_on >= child.cancel_on:
                        child.cancel_on = child.edit_on + dt.timedelta(days=1)
                    if child.cancel_on > END:
                        child.cancel_on = None
                task.children.append(child)
        out.append(task)
    return out


def _all(units: list[Task]) -> Iterator[Task]:
    for u in units:
        yield u
        yield from u.children


def _definition(t: Task, due: dt.date | None, cancelled: int) -> dict[str, Any]:
    return {
        "title": t.title,
        "lead": t.lead,
        "co": json.dumps(t.co, ensure_ascii=False),
        "start_date": t.start.isoformat(),
        "due_date": due.isoformat() if due else None,
        "cancelled": cancelled,
    }


def _final(t: Task) -> dict[str, Any]:
    edited = t.edit_on is not None and (t.cancel_on is None or t.edit_on < t.cancel_on)
    return _definition(t, t.new_due if edited else t.due, 1 if t.cancel_on else 0)


def revisions(units: list[Task], rng: random.Random) -> list[tuple[Any, ...]]:
    """task_revisions rows, in recording order (their ids)."""
    rows: list[tuple[int, tuple[Any, ...]]] = []
    clerk = "li.ducha"
    for u in units:
        base = _ts(u.created, rng.randrange(28_800_000_000, 30_600_000_000))  # 08:00-08:30
        for i, t in enumerate([u, *u.children]):
            d = _definition(t, t.due, 0)
            ts = base + i
            rows.append(
                (
                    ts,
                    (
                        t.id,
                        "create",
                        _recorded_at(ts),
                        _day_of(ts),
                        t.created.isoformat(),
                        OFFICE,
                        clerk,
                        None,
                        "{}",
                        *d.values(),
                    ),
                )
            )
        if u.edit_on is not None:
            reason = rng.choice(_EDIT_REASONS)
            base = _ts(u.edit_on, _work_time(rng))
            for i, t in enumerate([u, *u.children]):
                if t.cancel_on is not None and t.cancel_on <= u.edit_on:
                    continue
                changes = {
                    "due_date": [
                        t.due.isoformat() if t.due else None,
                        t.new_due.isoformat() if t.new_due else None,
                    ]
                }
                d = _definition(t, t.new_due, 0)
                ts = base + i
                rows.append(
                    (
                        ts,
                        (
                            t.id,
                            "edit",
                            _recorded_at(ts),
                            _day_of(ts),
                            u.edit_on.isoformat(),
                            OFFICE,
                            clerk,
                            reason,
                            json.dumps(changes, ensure_ascii=False),
                            *d.values(),
                        ),
                    )
                )
        for i, t in enumerate([u, *u.children]):
            if t.cancel_on is None:
                continue
            reason = rng.choice(_CANCEL_REASONS)
            ts = _ts(t.cancel_on, 64_800_000_000 + i)  # 18:00, after the day's reports
            due = t.new_due if t.edit_on is not None and t.edit_on < t.cancel_on else t.due
            d = _definition(t, due, 1)
            rows.append(
                (
                    ts,
                    (
                        t.id,
                        "cancel",
                        _recorded_at(ts),
                        _day_of(ts),
                        t.cancel_on.isoformat(),
                        OFFICE,
                        clerk,
                        reason,
                        json.dumps({"cancelled": [0, 1]}),
                        *d.values(),
                    ),
                )
            )
    rows.sort(key=lambda r: r[0])
    return [r for _, r in rows]


# --- progress reports ---------------------------------------------------------------

# One planned report: (ts, task index, key, status, percent, report day ordinal,
# reporter, key of the report it corrects or -1, imported). ``key`` numbers a task's
# reports. Notes are drawn when the row is written.
Planned = tuple[int, int, int, str, int, int, str, int, bool]


def _allocate(weights: list[int], total: int) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder): exact sum."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    shares = [w * total / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_reports(leaves: list[Task], total: int, rng: random.Random) -> list[Planned]:
    """Every report, sorted by recording moment (which gives their ids)."""
    end_ord = END.toordinal()
    spans: list[tuple[int, int]] = []
    for t in leaves:
        first = t.start.toordinal()
        last = min(end_ord, (t.new_due or t.due or END).toordinal() + rng.randrange(0, 181))
        if t.cancel_on is not None:
            last = min(last, t.cancel_on.toordinal() - 1)
        spans.append((first, last))
    counts = _allocate([max(0, b - a + 1) for a, b in spans], total)
    out: list[Planned] = []
    for index, (t, (first, last), n) in enumerate(zip(leaves, spans, counts, strict=True)):
        if n == 0:
            continue
        n_corr = sum(1 for _ in range(n) if rng.random() < 0.01) if n > 1 else 0
        n_orig = n - n_corr
        days = sorted(rng.randrange(first, last + 1) for _ in range(n_orig))
        cap = end_ord if t.cancel_on is None else t.cancel_on.toordinal() - 1
        finishes = t.due is not None and last < end_ord and rng.random() < 0.75
        bend = rng.uniform(0.7, 1.4)
        originals: list[Planned] = []
        for i, day in enumerate(days):
            final = i == n_orig - 1
            if final and finishes:
                status, percent = "done", 100
            elif i == 0 and rng.random() < 0.3:
                status, percent = "not_started", 0
            else:
                percent = max(1, min(99, round(100 * ((i + 1) / n_orig) ** bend)))
                if not finishes and final:
                    percent = min(percent, 95)
                status = "blocked" if rng.random() < 0.04 else "in_progress"
            recorded = min(cap, day + rng.choice((0, 0, 0, 1, 1, 2, 3, 7)))
            ts = _ts(dt.date.fromordinal(recorded), _work_time(rng))
            roll = rng.random()
            who = OFFICE if roll < 0.2 else (rng.choice(t.co) if roll < 0.3 and t.co else t.lead)
            originals.append((ts, index, i, status, percent, day, who, -1, rng.random() < 0.1))
        out.extend(originals)
        for k, target in enumerate(rng.sample(originals, min(n_corr, len(originals)))):
            ts0, _, key0, status, percent, day, who, _, _ = target
            if status in ("in_progress", "blocked"):
                percent = max(1, min(99, percent + rng.choice((-10, -5, 5, 10))))
            recorded = min(cap, ts0 // 86_400_000_000 + START.toordinal() + rng.randrange(1, 15))
            ts = max(ts0 + 1_000_000, _ts(dt.date.fromordinal(recorded), _work_time(rng)))
            out.append((ts, index, n_orig + k, status, percent, day, who, key0, False))
    out.sort(key=lambda p: (p[0], p[1], p[2]))
    return out


def _report_rows(
    leaves: list[Task],
    planned: list[Planned],
    rng: random.Random,
    claims: list[tuple[int, str, int, str]],
) -> Iterator[tuple[Any, ...]]:
    """progress_reports rows (with explicit ids), in id order. Each 已完成 by the lead
    or the office is a claim of completion: (ts, task, report id, report date) is
    appended to ``claims`` for the office to approve."""
    corrected = {(p[1], p[7]) for p in planned if p[7] >= 0}
    ids: dict[tuple[int, int], int] = {}
    for rid, (ts, index, key, status, percent, day_ord, who, corrects_key, imported) in enumerate(
        planned, start=1
    ):
        t = leaves[index]
        day = dt.date.fromordinal(day_ord)
        if (index, key) in corrected:
            ids[(index, key)] = rid
        note = _note(rng, status)
        corrects = None
        if corrects_key >= 0:
            corrects = ids.pop((index, corrects_key))
            note = f"{_CORRECTION_PREFIX}{note}"
        user = f"{CLERKS[(key + len(who)) % len(CLERKS)]}.{who}"
        source, fingerprint = "cli", None
        if imported:
            source = f"{who}-{day:%Y%m}进展填报表.xlsx:{key + 2}"
            fingerprint = hashlib.sha256(f"{SEED}:{t.id}:{key}".encode()).hexdigest()[:32]
        role = "office" if who == "office" else ("lead" if who == t.lead else "co")
        if status == "done" and role != "co":
            claims.append((ts, t.id, rid, day.isoformat()))
        yield (
            rid,
            t.id,
            _recorded_at(ts),
            _day_of(ts),
            day.isoformat(),
            who,
            user,
            status,
            percent,
            note,
            _evidence(rng, day),
            corrects,
            source,
            fingerprint,
            role,
        )


def _approvals(
    claims: list[tuple[int, str, int, str]], rng: random.Random
) -> list[tuple[Any, ...]]:
    """task_events rows: the office approves (审核销号) each claim of completion 1-10
    days after it was recorded, in recording order, as ``jsgj review --approve``
    records it (the claim's report, no percent); claims of the last days before END
    are still awaiting review (待审核)."""
    last = (END - START).days
    rows = []
    for ts, task_id, report_id, _ in claims:
        day = ts // 86_400_000_000 + rng.randrange(1, 11)
        if day > last:
            continue
        at = day * 86_400_000_000 + _work_time(rng)
        rows.append((at, task_id, report_id, _day_of(at)))
    rows.sort()
    return [
        (task_id, "approve", day, _recorded_at(at), day, "office", "li.ducha", None, report_id)
        for at, task_id, report_id, day in rows
    ]


def _observations(rng: random.Random, catalog: Any) -> Iterator[tuple[Any, ...]]:
    from jsgj import paths
    from jsgj.catalog.indicators import load_indicators

    cities = [m for d in catalog.departments for m in d.members]
    for ind in load_indicators(paths.indicators_path()).indicators:
        for region in ["province", *cities]:
            value = rng.uniform(20, 40) if ind.is_percent else rng.uniform(50, 500)
            for year in range(START.year, END.year):
                value *= rng.uniform(1.0, 1.06)
                if ind.is_percent:
                    value = min(value, 99.0)
                day = dt.date(year, 12, 31)
                ts = _ts(dt.date(year + 1, 3, 1), _work_time(rng))
                yield (
                    ind.id,
                    region,
                    day.isoformat(),
                    round(value, 2),
                    f"{year}年统计公报",
                    _recorded_at(ts),
                    _day_of(ts),
                    "li.ducha",
                )


# --- writing --------------------------------------------------------------------------


def generate(
    path: Path,
    *,
    tasks: int = TASKS,
    reports: int = REPORTS,
    quiet: bool = False,
    check: bool = True,
) -> dict[str, int]:
    """Write the database to ``path`` (which must not exist). Returns row counts."""
    import sqlite3

    from jsgj import paths
    from jsgj.catalog.load import load_catalog
    from jsgj.store.admin import check_database
    from jsgj.store.db import Store
    from jsgj.store.derived import refresh_all
    from jsgj.store.functions import register_functions

    def say(text: str) -> None:
        if not quiet:
            print(f"  [{time.perf_counter() - t0:6.1f}s] {text}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    if path.exists():
        raise FileExistsError(path)
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    rng = random.Random(SEED)
    units = plan_tasks(catalog, rng, tasks)
    all_tasks = list(_all(units))
    leaves = [t for t in all_tasks if not t.children]
    planned = plan_reports(leaves, reports, rng)
    revs = revisions(units, rng)
    claims: list[tuple[int, str, int, str]] = []
    say(f"planned {len(all_tasks)} tasks, {len(revs)} revisions, {len(planned)} reports")

    with Store.open(path, catalog):  # jsgj's schema, through its migrations
        pass
    conn = sqlite3.connect(str(path), isolation_level=None)
    register_functions(conn)  # the event tables' triggers call jsgj_sha256 and jsgj_fold
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-400000")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO tasks (id, measure, seq, parent_id, created_on, title, lead, co, "
            "start_date, due_date, cancelled) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                (t.id, t.measure, t.seq, t.parent, t.created.isoformat(), *_final(t).values())
                for t in all_tasks
            ),
        )
        conn.executemany(
            "INSERT INTO task_departments (task_id, department_id, role) VALUES (?,?,?)",
            (
                (t.id, d, "lead" if i == 0 else "co")
                for t in all_tasks
                for i, d in enumerate([t.lead, *t.co])
            ),
        )
        conn.executemany(
            "INSERT INTO task_revisions (task_id, kind, recorded_at, recorded_on, "
            "effective_date, actor, os_user, reason, changes, title, lead, co, start_date, "
            "due_date, cancelled) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            revs,
        )
        say("tasks and revisions written")
        conn.executemany(
            "INSERT INTO progress_reports (id, task_id, recorded_at, recorded_on, report_date, "
            "reporter, os_user, status, percent, note, evidence, corrects, source, fingerprint, "
            "role) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            _report_rows(leaves, planned, rng, claims),
        )
        say("progress reports written")
        conn.executemany(
            "INSERT INTO task_events (task_id, kind, event_date, recorded_at, recorded_on, "
            "actor, os_user, note, report_id) VALUES (?,?,?,?,?,?,?,?,?)",
            _approvals(claims, rng),
        )
        say(f"{len(claims)} claims of completion approved")
        conn.executemany(
            "INSERT INTO indicator_observations (indicator, region, observed_on, value, source, "
            "recorded_at, recorded_on, os_user) VALUES (?,?,?,?,?,?,?,?)",
            _observations(rng, catalog),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    del planned

    with Store.open(path, catalog) as store:
        store.db.execute("PRAGMA cache_size=-400000")
        # The store's own derivation of every derived column, from the events, in one
        # set-based pass (fan-out parents aggregated from their cities' shares).
        store.write(lambda: refresh_all(store.db.conn))
        say("derived state refreshed")
        counts = {
            table: store.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
            for table in ("tasks", "task_revisions", "progress_reports", "indicator_observations")
        }
        if check:
            problems = check_database(store)
            if problems:
                raise RuntimeError("generated database fails db check:\n" + "\n".join(problems))
            say("db check: ok")
    return counts


def cache_name(tasks: int = TASKS, reports: int = REPORTS) -> str:
    return f"province-v{VERSION}-{tasks}t-{reports}r.db"


def province_db(
    work: Path = WORK, *, tasks: int = TASKS, reports: int = REPORTS, quiet: bool = False
) -> Path:
    """The cached province database, generated when missing (built beside it, then
    renamed, so an interrupted run leaves no half file), and migrated to this jsgj's
    schema by opening it once."""
    target = work / cache_name(tasks, reports)
    if not target.exists():
        work.mkdir(parents=True, exist_ok=True)
        building = target.with_name(f".{target.name}.{os.getpid()}.building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        if not quiet:
            print(f"generating {target.name} (once; cached in {work})", file=sys.stderr)
        try:
            generate(building, tasks=tasks, reports=reports, quiet=quiet)
            os.replace(building, target)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
    migrate(target)
    return target


def migrate(path: Path) -> None:
    """Apply pending migrations (and checkpoint the WAL) so timed runs do not."""
    from jsgj import paths
    from jsgj.catalog.load import load_catalog
    from jsgj.store.db import Store

    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    with Store.open(path, catalog, create=False) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, help="write here instead of the cache")
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--reports", type=int, default=REPORTS)
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args(argv)
    if args.out is None:
        print(province_db(tasks=args.tasks, reports=args.reports))
        return 0
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists; add --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    counts = generate(args.out, tasks=args.tasks, reports=args.reports)
    print(f"{args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
