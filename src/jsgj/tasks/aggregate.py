"""A task shared out to the cities takes no reports itself: its progress is its
cities' shares taken together. This is the one place that says how, used when the
derived ``tasks`` rows are refreshed and by every as-of read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from jsgj.tasks.records import TaskState
from jsgj.values import Status


def aggregate_status(statuses: Sequence[Status]) -> Status:
    """已办结 when every share is; 受阻 when any is; 待审核 when every share is
    claimed or approved; 推进中 when any has begun; else 未启动."""
    if not statuses:
        return Status.not_started
    if all(s is Status.done for s in statuses):
        return Status.done
    if any(s is Status.blocked for s in statuses):
        return Status.blocked
    if all(s in (Status.done, Status.pending_review) for s in statuses):
        return Status.pending_review
    if any(s is not Status.not_started for s in statuses):
        return Status.in_progress
    return Status.not_started


def aggregate(parent: TaskState, children: Sequence[TaskState]) -> TaskState:
    """``parent`` with the progress of its shares that are not cancelled: their
    status, mean percent, latest report and report count. With every share cancelled
    the parent shows no progress. Its own co contributions stay its own."""
    live = [c for c in children if not c.cancelled]
    ids = tuple(c.id for c in children)
    if not live:
        return replace(
            parent,
            children=ids,
            status=Status.not_started,
            percent=0,
            last_report_date=None,
            report_count=0,
            claim_date=None,
            returned_reason=None,
        )
    dates = [c.last_report_date for c in live if c.last_report_date]
    claims = [c.claim_date for c in live if c.claim_date]
    status = aggregate_status([c.status for c in live])
    return replace(
        parent,
        children=ids,
        status=status,
        percent=round(sum(c.percent for c in live) / len(live)),
        last_report_date=max(dates) if dates else None,
        report_count=sum(c.report_count for c in live),
        claim_date=max(claims) if claims and status in _CLAIMED else None,
        returned_reason=None,
    )


_CLAIMED = (Status.done, Status.pending_review)


def with_children(states: Sequence[TaskState]) -> list[TaskState]:
    """Attach each fan-out parent's children and aggregate its progress from them."""
    kids: dict[str, list[TaskState]] = {}
    for s in states:
        if s.parent_id:
            kids.setdefault(s.parent_id, []).append(s)
    return [aggregate(s, kids[s.id]) if s.id in kids else s for s in states]
