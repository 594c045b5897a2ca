"""`tasks list` filters on the current view run in SQL (store.queries); they select
exactly the tasks the one Python statement of the rule (tasks.filters) selects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from jsgj.demo import DEMO_AS_OF
from jsgj.store.db import Store
from jsgj.store.listing import filtered_task_states
from jsgj.store.queries import task_states
from jsgj.tasks.filters import CANCELLED, TaskFilter, filter_tasks
from jsgj.tasks.records import TaskState
from jsgj.values import Status
from report_helpers import demo_db, fresh_catalog

__all__ = ["demo_db"]  # the session fixture, imported for pytest


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    with Store.open(demo_db, fresh_catalog(), create=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def every(store: Store) -> list[TaskState]:
    return task_states(store)


def agree(store: Store, every: list[TaskState], f: TaskFilter, on: dt.date) -> list[str]:
    by_sql = filtered_task_states(store, f, on)
    by_rule = filter_tasks(store.catalog, every, f, on)
    assert by_sql == by_rule, f
    return [s.id for s in by_sql]


def test_every_department_selects_what_the_rule_selects(
    store: Store, every: list[TaskState]
) -> None:
    chosen = 0
    for department in store.catalog.departments:
        chosen += len(agree(store, every, TaskFilter(department=department.id), DEMO_AS_OF))
    assert chosen > len(every)  # most tasks count for more than one department


def test_every_measure_and_status_selects_what_the_rule_selects(
    store: Store, every: list[TaskState]
) -> None:
    for measure in store.catalog.measures:
        assert agree(store, every, TaskFilter(measure=measure.number), DEMO_AS_OF)
    seen = 0
    for status in (*Status, CANCELLED):
        seen += len(agree(store, every, TaskFilter(status=status), DEMO_AS_OF))
    assert seen == len(every)


@pytest.mark.parametrize("on", [DEMO_AS_OF, dt.date(2025, 3, 31), dt.date(2027, 1, 1)])
def test_overdue_and_combinations_select_what_the_rule_selects(
    store: Store, every: list[TaskState], on: dt.date
) -> None:
    assert agree(store, every, TaskFilter(), on) == [s.id for s in every]
    agree(store, every, TaskFilter(overdue=True), on)
    for department in store.catalog.departments:
        agree(store, every, TaskFilter(department=department.id, overdue=True), on)
        agree(store, every, TaskFilter(department=department.id, status=Status.in_progress), on)
