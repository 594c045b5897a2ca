"""Opening the database never guesses: reading never creates, a write says so before it
creates, `db init` creates on purpose; a file of another program or bound to another
document is refused untouched; a read-only directory, a full disk, a file-size limit and
a held lock each get their own one-line message, never exit 70."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj.catalog.load import load_catalog
from jsgj.cli.app import app
from jsgj.errors import StoreError
from jsgj.store import db as store_db
from jsgj.store.db import Store
from report_helpers import fresh_catalog

RETURN_CSV = (
    "任务编号,填报单位,状态,进度%,日期,进展情况,佐证材料\n7-1,人社厅,推进中,10,2025-06-20,启动,\n"
)

# Every command, by how it treats a missing database. A new command must be added here.
READERS: dict[str, list[str]] = {
    "tasks list": [],
    "tasks show": ["7-1"],
    "matrix": [],
    "report weekly": [],
    "report monthly": ["--month", "2025-06"],
    "db info": [],
    "db check": [],
    "db backup": ["{tmp}/copy.db"],
    "indicators list": [],
    "indicators show": ["skilled_share_of_employed"],
    "export": ["--output", "{tmp}/ledger.xlsx"],
    "template": ["省教育厅", "--output", "{tmp}/form.xlsx"],
    "import": ["{tmp}/return.csv", "--dry-run"],  # a dry run only reads
    "search": ["用地"],
    "departments contacts": [],
}
WRITERS: dict[str, list[str]] = {
    "assign": ["7", "--title", "全面推行企业新型学徒制"],
    "progress": ["7-1", "--status", "推进中", "--note", "启动"],
    "acknowledge": ["7-1", "--by", "人社厅", "--contact", "王晓明"],
    "review": ["7-1", "--approve"],
    "chase": ["宿迁", "--method", "电话"],  # (--notice only reads)
    "tasks edit": ["7-1", "--reason", "r", "--title", "x"],
    "tasks cancel": ["7-1", "--reason", "r"],
    "import": ["{tmp}/return.csv"],
    "indicators record": ["skilled_share_of_employed", "30", "--date", "2024-12-31",
                          "--source", "s"],
}  # fmt: skip
WITHOUT_DATABASE = {
    "measures list", "measures show", "departments list", "departments show", "validate",
    "schema", "demo", "db init",
}  # fmt: skip


def all_commands() -> set[str]:
    """Every command path, as the root group builds them when they run."""
    import typer

    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="jsgj")
    names = set()
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        subs = getattr(command, "commands", None)
        names.update(f"{name} {s}" for s in subs) if subs else names.add(name)
    return names


def argv(name: str, args: list[str], tmp: Path) -> list[str]:
    return [*name.split(), *(a.format(tmp=tmp) for a in args)]


def test_every_command_is_classified() -> None:
    assert all_commands() == {*READERS, *WRITERS} | WITHOUT_DATABASE


@pytest.mark.parametrize("name", READERS)
def test_every_reader_refuses_a_missing_database_and_creates_nothing(
    jsgj: Invoke, db_path: Path, tmp_path: Path, name: str
) -> None:
    (tmp_path / "return.csv").write_text(RETURN_CSV, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir() if p.name != "cache")
    result = jsgj(*argv(name, READERS[name], tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"jsgj: error: {db_path}: no such database "
        "(give --db PATH or set JSGJ_DB; `jsgj db init` creates one)"
    ]
    assert result.stdout == ""
    after = sorted(p.name for p in tmp_path.iterdir() if p.name != "cache")  # the catalogue's
    assert after == before  # no database, no -wal, no output file


@pytest.mark.parametrize("name", WRITERS)
def test_every_writer_says_before_it_creates(
    jsgj: Invoke, db_path: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-29")
    (tmp_path / "return.csv").write_text(RETURN_CSV, encoding="utf-8")
    result = jsgj(*argv(name, WRITERS[name], tmp_path))
    assert result.stderr.splitlines()[0] == f"jsgj: creating a new database at {db_path}"
    assert result.exit_code in (0, 1)  # edit, cancel, progress: no task 7-1 yet
    assert db_path.is_file()
    assert jsgj("db", "check").stdout == "ok\n"


def test_db_init_creates_once_and_binds_the_document(
    jsgj: Invoke, db_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "sub" / "other.db"
    result = jsgj("db", "init", str(other))
    assert result.exit_code == 0
    assert (
        result.stdout.startswith(f"created {other} (schema ")
        and "苏政办发〔2024〕37号" in result.stdout
    )
    before = other.read_bytes()
    again = jsgj("db", "init", str(other))
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1
    assert "already exists" in again.stderr
    assert other.read_bytes() == before
    assert jsgj("db", "init").exit_code == 0 and db_path.is_file()  # --db / JSGJ_DB
    info = jsgj("--db", str(other), "db", "info", "--json")
    assert json.loads(info.stdout)["document"] == "苏政办发〔2024〕37号"


# --- the document binding ---------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("old", "new", "shows"),
    [
        ("number: 苏政办发〔2024〕37号", "number: 苏政办发〔2025〕9号", "苏政办发〔2025〕9号"),
        # measure 16 moved from section 五 to 四: the same number, another numbering
        (
            "    label: （十六）\n    section: 5\n",
            "    label: （十六）\n    section: 4\n",
            "numbering",
        ),
    ],
    ids=["another-number", "another-numbering"],
)
def test_another_documents_measures_file_is_refused(
    jsgj: Invoke, db_path: Path, data_copy: Path, old: str, new: str, shows: str
) -> None:
    assert jsgj("assign", "7", "--title", "全面推行企业新型学徒制").exit_code == 0
    measures = data_copy / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    assert old in text
    measures.write_text(text.replace(old, new, 1), encoding="utf-8")
    load_catalog(measures, data_copy / "departments.yaml")  # a valid file, only another
    before = digest(db_path)
    for args in (["tasks", "list"], ["assign", "7", "--title", "x"]):
        result = jsgj("--measures", str(measures), *args)
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "the database tracks 苏政办发〔2024〕37号" in lines[0]
        assert shows in lines[0].split("measures file describes")[1]
    assert digest(db_path) == before


def test_an_existing_database_is_bound_on_first_open(db_path: Path) -> None:
    """A file from before the binding is bound to the catalogue it is first opened with."""
    from sqlite_utils import Database

    from jsgj.store.migrations import migration_set

    db = Database(db_path)
    migration_set().apply(db, stop_before="m006_create_tracked_document")
    db.close()
    with Store.open(db_path, fresh_catalog()) as store:
        row = store.db.execute("SELECT number FROM tracked_document").fetchone()
    assert row == ("苏政办发〔2024〕37号",)


# --- files that are not jsgj's ----------------------------------------------------------


def other_apps_migrations(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, "
        "name TEXT, applied_at TEXT)"
    )
    conn.execute("INSERT INTO _sqlite_migrations VALUES (1, 'blog', 'm001_posts', '2024-01-01')")


@pytest.mark.parametrize(
    ("make", "held"),
    [
        (other_apps_migrations, "_sqlite_migrations (blog)"),
        (lambda c: c.execute("CREATE VIEW v AS SELECT 1 AS x"), "v"),
        (lambda c: c.execute("CREATE TABLE _sqlite_migrations (x)"), "_sqlite_migrations (?)"),
    ],
    ids=["migrations-of-another-app", "only-a-view", "a-table-of-that-name"],
)
def test_a_file_of_another_program_is_never_migrated(
    jsgj: Invoke, db_path: Path, make: object, held: str
) -> None:
    conn = sqlite3.connect(db_path)
    make(conn)  # type: ignore[operator]
    conn.commit()
    conn.close()
    before = digest(db_path)
    for args in (["tasks", "list"], ["assign", "7", "--title", "x"]):
        result = jsgj(*args)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"jsgj: error: {db_path}: not a jsgj database (it holds {held})"
        ]
    assert digest(db_path) == before


# --- the file system says no ------------------------------------------------------------


def run_jsgj(
    *args: str, env: dict[str, str], limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """jsgj in a process of its own (a file-size limit applies to the whole process)."""

    def setup() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "jsgj", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        preexec_fn=setup,
        timeout=120,
    )


BIG = "中" * 3999
"""The longest note or evidence jsgj takes (tasks.rules.MAX_TEXT characters), 12 KB."""


def one_line(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own (tmpfs; needs root), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)])
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def seed(path: Path) -> dict[str, str]:
    env = {"JSGJ_DB": str(path), "JSGJ_TODAY": "2025-06-29"}
    done = run_jsgj("assign", "7", "--title", "全面推行企业新型学徒制", env=env)
    assert done.returncode == 0, done.stderr
    done = run_jsgj("progress", "7-1", "--status", "推进中", "--note", "启动", env=env)
    assert done.returncode == 0, done.stderr
    return env


def test_a_full_disk_is_named_and_changes_nothing(small_disk: Path) -> None:
    env = seed(small_disk / "jsgj.db")
    with (small_disk / "filler").open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    before = run_jsgj("tasks", "show", "7-1", "--json", env=env)
    assert before.returncode == 0  # reading still works
    done = run_jsgj(
        "progress", "7-1", "--status", "推进中", "--note", BIG, "--evidence", BIG, env=env
    )
    one_line(done, "the disk is full", "nothing was changed")
    assert run_jsgj("tasks", "show", "7-1", "--json", env=env).stdout == before.stdout


def test_a_read_only_directory_is_read_and_a_write_told_why(
    small_disk: Path, tmp_path: Path
) -> None:
    env = seed(small_disk / "jsgj.db")
    # A second database copied with a -wal file to honour (as a writer left it).
    source = tmp_path / "source.db"
    seed(source)
    holder = sqlite3.connect(source, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE tasks SET title = '只在WAL里的标题' WHERE id = '7-1'")
    (small_disk / "wal").mkdir()
    (small_disk / "no-shm").mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{source}{suffix}", small_disk / "wal" / f"jsgj.db{suffix}")
        if suffix != "-shm":
            shutil.copyfile(f"{source}{suffix}", small_disk / "no-shm" / f"jsgj.db{suffix}")
    holder.close()
    wal = {**env, "JSGJ_DB": str(small_disk / "wal" / "jsgj.db")}
    assert Path(wal["JSGJ_DB"] + "-wal").stat().st_size > 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        listed = run_jsgj("tasks", "list", "--json", env=env)
        assert listed.returncode == 0, listed.stderr and "7-1" in listed.stdout
        shown = run_jsgj("tasks", "show", "7-1", "--json", env=wal)
        assert shown.returncode == 0, shown.stderr
        assert "只在WAL里的标题" in shown.stdout  # the -wal was read, not ignored
        no_shm = {**env, "JSGJ_DB": str(small_disk / "no-shm" / "jsgj.db")}
        refused = run_jsgj("tasks", "show", "7-1", env=no_shm)
        one_line(refused, "-wal file holds changes not yet in the database")
        done = run_jsgj("progress", "7-1", "--status", "推进中", "--note", "x", env=env)
        one_line(done, "cannot write", "read-only", "nothing was changed")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=False)


def test_a_file_size_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "jsgj.db"
    env = seed(path)
    done = run_jsgj(
        "progress",
        "7-1",
        "--status",
        "推进中",
        "--note",
        BIG,
        "--evidence",
        BIG,
        env=env,
        limit=32768,
    )
    one_line(done, "file-size limit", "ulimit -f", "nothing was changed")
    assert "Traceback" not in done.stderr


# --- the write lock held by another process ---------------------------------------------


def test_a_held_lock_is_waited_for_told_and_named(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "LOCK_WAIT_SECONDS", 0.6)
    monkeypatch.setattr(store_db, "WAIT_NOTICE_SECONDS", 0.2)
    monkeypatch.setattr(store_db, "LOCK_POLL_SECONDS", 0.1)
    told: list[float] = []
    with Store.open(db_path, fresh_catalog(), on_wait=told.append) as store:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as caught:
                store.write(lambda: store.db.execute("SELECT 1"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.write(lambda: 1) == 1  # and once free, it writes
    message = str(caught.value)
    assert "another process held the database's write lock for 1 s" in message
    assert "fuser" in message and "jsgj is" not in message
    assert len(told) == 1 and told[0] >= 0.2


def test_the_waiting_line_is_for_terminals_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from jsgj.cli.state import _say_waiting

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _say_waiting(tmp_path / "x.db") is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    say = _say_waiting(tmp_path / "x.db")
    assert say is not None
    say(3.2)
    line = capsys.readouterr().err
    assert line.startswith("jsgj: waiting for the write lock on ") and "3 s so far" in line
