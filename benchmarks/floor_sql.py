"""The tightest floors of jsgj's province-scale views: plain ``sqlite3`` and plain
Python, the same figures, nothing else (no framework, no objects, no reason texts).

    python -S benchmarks/floor_sql.py CONFIG DB VIEW [ARG]

VIEW: ``list`` (ARG: a department id, or nothing), ``table`` (the same rows as
``list``, printed as fixed-width lines, as ``tasks list`` prints them to a pipe),
``as-of`` (ARG: a date), ``known-on`` (ARG: a date), ``weekly``, ``matrix``.
CONFIG is a small JSON file that run.py writes (untimed) with what jsgj reads from
its catalogue and data/lights.yaml: the thresholds, each department's holders
(itself, its cities, its group), the document's departments in order and the
departments' short names. Output: JSON on stdout (the C encoder, no indent).

Each task's state: the current view reads the derived ``tasks`` table, as jsgj does;
the other views derive it from the event logs by hand-written SQL (the latest
revision dated by the date, the valid reports of the lead and the office, the
review of a claim), fan-out parents from their cities, then the light in SQL. The
light is the colour only; jsgj also writes its reason, which the floor does not.
"""

import json
import sqlite3
import sys

STATES = """
WITH rev AS (
  SELECT task_id, COALESCE(MAX(CASE WHEN effective_date <= :d THEN id END), MIN(id)) AS id
  FROM task_revisions WHERE recorded_on <= :kd GROUP BY task_id
),
valid AS (
  SELECT p.task_id, SUM(p.role != 'co') AS n,
         MAX(CASE WHEN p.role != 'co' THEN p.report_date || printf('%012d', p.id) END) AS k
  FROM progress_reports p
  WHERE p.report_date <= :d AND p.recorded_on <= :kd
    AND p.id NOT IN (SELECT corrects FROM progress_reports
                     WHERE corrects IS NOT NULL AND +recorded_on <= :kd)
  GROUP BY p.task_id
)
SELECT t.id, t.measure, t.seq, t.parent_id, t.created_on, r.lead, r.co, r.start_date,
  r.due_date, r.cancelled,
  CASE WHEN l.status = 'done' THEN CASE v.kind WHEN 'approve' THEN 'done'
       WHEN 'return' THEN 'in_progress' ELSE 'pending_review' END
       ELSE COALESCE(l.status, 'not_started') END AS status,
  CASE WHEN l.status = 'done' AND v.kind = 'return' THEN v.percent
       ELSE COALESCE(l.percent, 0) END AS percent,
  l.report_date AS last_report_date, COALESCE(k.n, 0) AS report_count,
  l.id IS NOT NULL OR EXISTS (SELECT 1 FROM task_events a WHERE a.task_id = t.id
    AND a.kind = 'acknowledge' AND a.event_date <= :d AND a.recorded_on <= :kd) AS acked
FROM rev JOIN task_revisions r ON r.id = rev.id JOIN tasks t ON t.id = rev.task_id
LEFT JOIN valid k ON k.task_id = t.id
LEFT JOIN progress_reports l ON l.id = CAST(substr(k.k, 11) AS INTEGER)
LEFT JOIN task_events v ON v.id = (SELECT MAX(e.id) FROM task_events e
  WHERE e.report_id = l.id AND e.kind IN ('approve', 'return')
    AND e.event_date <= :d AND e.recorded_on <= :kd)
WHERE min(COALESCE(r.start_date, t.created_on), t.created_on) <= :d
"""

CURRENT = """
SELECT id, measure, seq, parent_id, created_on, lead, co, due_date, cancelled{title},
  EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id) AS is_parent,
  acknowledged_on IS NOT NULL OR last_report_date IS NOT NULL AS acked,
  COALESCE(start_date, created_on) AS started, status, percent, last_report_date, report_count
FROM tasks t {where}
"""

# A department's tasks (jsgj's counting_role): a city share its lead's (a city, or
# its group's), another task its lead's (unless shared out) and its co departments'.
DEPARTMENT = """
WHERE t.id IN (SELECT d.task_id FROM task_departments d
               WHERE d.department_id IN (SELECT value FROM json_each(:holders)))
  AND (t.parent_id IS NULL OR t.lead IN (SELECT value FROM json_each(:holders)))
  AND (NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id)
       OR EXISTS (SELECT 1 FROM task_departments d WHERE d.task_id = t.id AND d.role = 'co'
                  AND d.department_id IN (SELECT value FROM json_each(:holders))))
"""

# From the event logs: fan-out parents from their cities that are not cancelled.
AGGREGATED = """
WITH s AS MATERIALIZED ({states}),
kids AS (
  SELECT parent_id, COUNT(*) AS n, SUM(status = 'done') AS done,
    SUM(status IN ('done', 'pending_review')) AS claimed, SUM(status = 'blocked') AS blocked,
    SUM(status != 'not_started') AS moving, AVG(percent) AS pct,
    MAX(last_report_date) AS last, SUM(report_count) AS reports
  FROM s WHERE parent_id IS NOT NULL AND NOT cancelled GROUP BY parent_id
),
fam AS (SELECT DISTINCT parent_id FROM s WHERE parent_id IS NOT NULL)
SELECT s.id, s.measure, s.seq, s.parent_id, s.created_on, s.lead, s.co, s.due_date,
  s.cancelled, f.parent_id IS NOT NULL AS is_parent, s.acked,
  COALESCE(s.start_date, s.created_on) AS started,
  CASE WHEN f.parent_id IS NULL THEN s.status WHEN k.n IS NULL THEN 'not_started'
       WHEN k.done = k.n THEN 'done' WHEN k.blocked > 0 THEN 'blocked'
       WHEN k.claimed = k.n THEN 'pending_review' WHEN k.moving > 0 THEN 'in_progress'
       ELSE 'not_started' END AS status,
  CASE WHEN f.parent_id IS NULL THEN s.percent ELSE CAST(round(COALESCE(k.pct, 0)) AS INTEGER)
       END AS percent,
  CASE WHEN f.parent_id IS NULL THEN s.last_report_date ELSE k.last END AS last_report_date,
  CASE WHEN f.parent_id IS NULL THEN s.report_count ELSE COALESCE(k.reports, 0) END
    AS report_count
FROM s LEFT JOIN fam f ON f.parent_id = s.id LEFT JOIN kids k ON k.parent_id = s.id
"""

# The light on :d (the colour; jsgj's status.light without its reason).
LINES = """
WITH a AS ({base}),
b AS (
  SELECT a.*,
    CASE WHEN due_date IS NULL THEN NULL
         WHEN due_date <= started THEN CASE WHEN :d >= due_date THEN 100 ELSE 0 END
         ELSE MAX(0, MIN(100, CAST(round(100.0 * (julianday(:d) - julianday(started))
                                 / (julianday(due_date) - julianday(started))) AS INTEGER)))
    END AS expected,
    CAST(julianday(:d) - julianday(due_date) AS INTEGER) AS overdue,
    MAX(0, CAST(julianday(:d) - julianday(COALESCE(last_report_date, started)) AS INTEGER))
      AS silent
  FROM a
)
SELECT id, measure, parent_id, lead, co, due_date, cancelled, is_parent,
  CASE WHEN cancelled THEN 'cancelled' ELSE status END AS status, percent,
  last_report_date, report_count, expected, overdue,
  CASE
    WHEN cancelled THEN 'cancelled' WHEN status = 'done' THEN 'done'
    WHEN status = 'pending_review' THEN 'pending'
    WHEN due_date < :d OR status = 'blocked' THEN 'red'
    WHEN started > :d THEN 'green'
    WHEN expected - percent > :pace OR silent >= :stalled
      OR (NOT is_parent AND NOT acked AND julianday(:d) - julianday(created_on) > :ack)
      THEN 'yellow'
    WHEN due_date IS NOT NULL AND julianday(due_date) - julianday(:d) <= :soon THEN 'blue'
    ELSE 'green'
  END AS light{more}
FROM b ORDER BY measure, seq, parent_id IS NOT NULL, id
"""

COLORS = ("red", "yellow", "blue", "green", "pending", "done", "cancelled")
STATUSES = ("done", "pending_review", "in_progress", "not_started", "blocked")


def lines(conn, cfg, d, kd, holders=None, table=False):
    """Each task's line on ``d``: from the derived table (``kd`` None), else from the
    events known on ``kd``; ``holders``: only that department's tasks; ``table``: with
    the days since the last report and the title (current view), as a cursor."""
    if kd is None:
        where = DEPARTMENT if holders else ""
        base = CURRENT.format(where=where, title=", title" if table else "")
    else:
        base = AGGREGATED.format(states=STATES)
    params = {"d": d, "kd": kd, "holders": json.dumps(holders), **cfg["thresholds"]}
    sql = LINES.format(base=base, more=", silent, title" if table else "")
    rows = conn.execute(sql, params)
    return rows if table else rows.fetchall()


DOTS = dict(zip(COLORS, ("●红", "●黄", "●蓝", "●绿", "◐审", "✓结", "×撤"), strict=True))
LABELS = {"done": "已办结", "pending_review": "待审核", "in_progress": "推进中"}
LABELS.update(not_started="未启动", blocked="受阻", cancelled="已撤销")


def cells(text):
    """Terminal cells: a CJK character (3 UTF-8 bytes) takes two."""
    return len(text) + (len(text.encode()) - len(text)) // 2


def pad(text, width):
    return text + " " * (width - cells(text))


def table(conn, cfg, today, width=20):
    """``tasks list`` as a pipe gets it: a measure's heading, then per task an id,
    the title wrapped in ``width`` cells, lead, due date, status, percent, days since
    the last report and the light in fixed columns; the counts at the end."""
    ids = conn.execute("SELECT max(length(id)) FROM tasks").fetchone()[0]
    out = sys.stdout
    buf, measure, live, cancelled = [], None, 0, 0
    short = cfg["short"]
    for r in lines(conn, cfg, today, None, table=True):
        tid, m, parent, lead, due, gone = r[0], r[1], r[2], r[3], r[5], r[6]
        status, percent, light, silent, title = r[8], r[9], r[14], r[15], r[16]
        if r[7]:  # a province total line: not counted
            pass
        elif gone:
            cancelled += 1
        else:
            live += 1
        if m != measure:
            measure = m
            head = f"{pad('编号', ids)} {pad('任务', width)} 牵头 截止 状态 进度 未报 灯"
            buf.append(f"\n措施{m}\n{head}\n")
        name = short.get(lead, lead)
        text = "└" + name if parent else title
        parts, cut, used = [], 0, 0
        for i, ch in enumerate(text):
            w = 2 if ord(ch) > 0x2E7F else 1
            if used + w > width:
                parts.append(text[cut:i])
                cut, used = i, 0
            used += w
        parts.append(text[cut:])
        quiet = "—" if light in ("done", "pending", "cancelled") else str(silent)
        buf.append(
            f"{pad(tid, ids)} {pad(parts[0], width)} {pad(name, 10)} {due or '—':10} "
            f"{pad(LABELS[status], 6)} {percent:>3}% {quiet:>4} {DOTS[light]}\n"
        )
        for more in parts[1:]:
            buf.append(f"{'':{ids}} {more}\n")
        if len(buf) > 2000:
            out.write("".join(buf))
            buf.clear()
    buf.append(f"\n共{live}项，另有已撤销{cancelled}项。\n")
    out.write("".join(buf))


def tally(rows):
    t = dict.fromkeys(("tasks", "overdue", "overdue_days", "percent_sum", *COLORS), 0)
    for r in rows:
        if r[6]:
            t["cancelled"] += 1
            continue
        t["tasks"] += 1
        t[r[14]] += 1
        t["percent_sum"] += r[9]
        if r[8] not in ("done", "pending_review") and r[5] is not None and r[13] > 0:
            t["overdue"] += 1
            t["overdue_days"] += r[13]
    return t


def holders_of(cfg, department):
    return cfg["holders"].get(department, [department])


def roles(cfg, rows):
    """department -> {task id: 'lead' | 'co'}: jsgj's counting_role, one pass."""
    out = {}
    for r in rows:
        pairs = []
        if r[2] is not None or not r[7]:
            pairs.append((r[3], "lead"))
        if r[2] is None:
            pairs += [(d, "co") for d in json.loads(r[4])]
        for did, role in pairs:
            for h in holders_of(cfg, did):
                out.setdefault(h, {}).setdefault(r[0], role)
    return out


def weekly(conn, cfg, today, week_start, week_end):
    rows = lines(conn, cfg, today, None)
    counted = [r for r in rows if not r[7]]
    live = [r for r in counted if not r[6]]
    week = conn.execute(
        "SELECT p.id, p.task_id, p.report_date, p.reporter, p.role, p.status, p.percent, "
        "p.note, p.evidence, p.corrects FROM progress_reports p "
        "WHERE p.report_date BETWEEN ? AND ? AND NOT EXISTS "
        "(SELECT 1 FROM progress_reports c WHERE c.corrects = p.id) "
        "ORDER BY p.report_date, p.id",
        [week_start, week_end],
    ).fetchall()
    reported = {w[1] for w in week if w[4] != "co"}
    summary = tally(counted)
    summary["statuses"] = {s: sum(r[8] == s for r in live) for s in STATUSES}
    summary["reports_this_week"] = len(week)
    summary["open_reported"] = sum(1 for r in live if r[14] != "done" and r[0] in reported)
    by_measure = {}
    for r in counted:
        by_measure.setdefault(r[1], []).append(r)
    measures = {m: tally(rs) for m, rs in by_measure.items()}
    chase = {}
    for r in live:
        if r[14] in ("red", "yellow"):
            chase.setdefault(r[3], []).append(r[0])
    by_id = {r[0]: r for r in rows}
    deadlines = [
        r[0] for r in rows if not r[6] and r[14] not in ("done", "pending") and r[5]
        and 0 <= -r[13] <= cfg["thresholds"]["soon"]
        and (r[2] is None or by_id[r[2]][5] != r[5])  # a city's, once on its parent's
    ]  # fmt: skip
    departments = {}
    for did, tasks in roles(cfg, rows).items():
        lead = [by_id[t] for t, role in tasks.items() if role == "lead"]
        co = [by_id[t] for t, role in tasks.items() if role == "co"]
        departments[did] = {"as_lead": tally(lead), "as_co": tally(co)}
    return {
        "summary": summary,
        "measures": measures,
        "reports": week,
        "chase": chase,
        "deadlines": deadlines,
        "departments": departments,
    }


def matrix(conn, cfg, today):
    rows = lines(conn, cfg, today, None)
    by_id = {r[0]: r for r in rows}
    columns = {}
    for r in rows:
        if not r[7]:
            columns.setdefault(r[1], []).append(r)
    departments = {}
    for did, tasks in roles(cfg, [r for r in rows if not r[6]]).items():  # not cancelled
        cells = {}
        lead, co = [], []
        for t, role in tasks.items():
            r = by_id[t]
            (lead if role == "lead" else co).append(r)
            cells.setdefault(r[1], []).append(r)
        departments[did] = {
            "as_lead": tally(lead),
            "as_co": tally(co),
            "cells": {m: tally(rs) for m, rs in cells.items()},
        }
    return {
        "columns": {m: tally(rs) for m, rs in columns.items()},
        "departments": [[did, departments.get(did)] for did in cfg["named"]],
    }


def main():
    cfg = json.load(open(sys.argv[1], encoding="utf-8"))
    conn = sqlite3.connect("file:" + sys.argv[2] + "?mode=ro", uri=True)
    view, arg = sys.argv[3], (sys.argv[4] if len(sys.argv) > 4 else None)
    today = cfg["today"]
    if view == "table":
        table(conn, cfg, today)
        return
    if view == "list" and arg:
        out = lines(conn, cfg, today, None, holders_of(cfg, arg))
    elif view == "list":
        out = lines(conn, cfg, today, None)
    elif view == "as-of":
        out = lines(conn, cfg, arg, "9999-12-31")
    elif view == "known-on":
        out = lines(conn, cfg, arg, arg)
    elif view == "weekly":
        out = weekly(conn, cfg, today, cfg["week_start"], cfg["week_end"])
    elif view == "matrix":
        out = matrix(conn, cfg, today)
    else:
        raise SystemExit("unknown view " + view)
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
