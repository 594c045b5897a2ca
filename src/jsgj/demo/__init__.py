"""A realistic, deterministic demo data set: half a year of 督查督办 on the 19 measures.

The demo is data: data/demo/plans.yaml says what each task is and how its reports run
(milestones, dated events such as a block, a mistaken report, an edited due date, a
cancellation), data/demo/indicators.yaml the indicators' year-end figures. This package
only interprets them:

* ``plans.py`` reads both files with the safe YAML loader and checks them (a bad plan
  is one line with file:line:column, before anything is written);
* ``schedule.py`` turns a plan into the reports it receives (pure, seeded);
* ``build.py`` replays everything through the store, each event on its own date.

Nothing is random except a ``random.Random`` with the file's seed, so every build holds
the same tasks, reports and dates (only the time of day in ``recorded_at`` differs).

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
* a block that was lifted: 18-2 (blocked 2025-03-14 to 2025-04-11);
* 签收: every task and city share is acknowledged the working day after it is assigned,
  except 16-3 and 6-3.huaian; each 已完成 is a claim the office approves three working
  days later, except 1-2.suzhou's mistaken one of 2025-05-09, which it returns.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsgj.demo.build import build_demo, demo_summary
from jsgj.demo.plans import Demo, load_demo

__all__ = ["DEMO_AS_OF", "DEMO_START", "PLANS", "build_demo", "demo_summary", "shipped"]


@lru_cache(maxsize=1)
def shipped() -> Demo:
    """The demo files that ship with jsgj (data/demo/), read once."""
    return load_demo()


def __getattr__(name: str) -> Any:
    """``DEMO_AS_OF``, ``DEMO_START`` and ``PLANS`` come from plans.yaml, read on first use
    (so importing the package reads no file)."""
    if name == "DEMO_AS_OF":
        return shipped().calendar.as_of
    if name == "DEMO_START":
        return shipped().calendar.start
    if name == "PLANS":
        return shipped().plans
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
