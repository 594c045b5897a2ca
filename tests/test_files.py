"""Every file jsgj writes goes through one writer (jsgj.files): never onto the
database or through a link, never half a file, a failure on one line with the
previous file intact and no temporary left behind; exports read one snapshot; the
catalogue cache is plain data that a planted file cannot turn into code."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, Invoke
from jsgj import files
from jsgj.catalog.load import load_catalog
from jsgj.errors import JsgjError

AS_OF = "2025-06-30"


@pytest.fixture
def db(jsgj: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JSGJ_TODAY", AS_OF)
    assert jsgj("assign", "3", "--title", "发布需求目录", "--due", "2025-12-31").exit_code == 0
    result = jsgj(
        "progress",
        "3-1",
        "--by",
        "教育厅",
        "--status",
        "推进中",
        "--percent",
        "10",
        "--note",
        "起步",
    )
    assert result.exit_code == 0, result.stderr
    return db_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(files.TEMP_PREFIX))


def one_line(result: object, code: int = 1) -> str:
    exit_code, stderr = result.exit_code, result.stderr  # type: ignore[attr-defined]
    assert exit_code == code, stderr
    assert len(stderr.splitlines()) == 1 and stderr.startswith("jsgj: error: "), stderr
    return str(stderr)


WRITERS = [
    ("report", "weekly", "--as-of", AS_OF, "--output"),
    ("export", "--format", "json", "--output"),
    ("export", "--format", "xlsx", "--output"),
    ("matrix", "--format", "csv", "--output"),
    ("matrix", "--format", "xlsx", "--output"),
    ("db", "backup"),
]
IDS = ["weekly", "export-json", "export-xlsx", "matrix-csv", "matrix-xlsx", "backup"]


# --- never onto the database ---------------------------------------------------------


@pytest.mark.parametrize("args", WRITERS, ids=IDS)
@pytest.mark.parametrize("spelling", ["same", "dotdot", "link", "hardlink", "wal"])
def test_no_writer_replaces_the_database(
    jsgj: Invoke, db: Path, tmp_path: Path, args: tuple[str, ...], spelling: str
) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    if spelling == "same":
        target = str(db)
    elif spelling == "dotdot":
        target = str(sub / ".." / db.name)
    elif spelling == "link":
        (tmp_path / "alias").symlink_to(tmp_path, target_is_directory=True)
        target = str(tmp_path / "alias" / db.name)
    elif spelling == "hardlink":
        os.link(db, tmp_path / "other.db")
        target = str(tmp_path / "other.db")
    else:
        target = f"{db}-wal"
    before = digest(db)
    result = jsgj(*args, target)
    assert "is the database jsgj uses" in one_line(result)
    assert digest(db) == before
    assert jsgj("db", "check").stdout == "ok\n"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("args", WRITERS, ids=IDS)
def test_no_writer_follows_a_link(
    jsgj: Invoke, db: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.file"
    link.symlink_to(victim)
    assert "symbolic link" in one_line(jsgj(*args, str(link)))
    assert victim.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()


def test_a_link_to_the_database_is_refused(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    (tmp_path / "ledger.json").symlink_to(db)
    before = digest(db)
    one_line(jsgj("export", "--output", str(tmp_path / "ledger.json")))
    assert digest(db) == before


def test_template_and_csv_export_use_the_writer(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "form.xlsx").symlink_to(victim)
    one_line(jsgj("template", "教育厅", "--output", str(tmp_path / "form.xlsx")))
    out = tmp_path / "ledger"
    out.mkdir()
    (out / "tasks.csv").symlink_to(victim)
    assert "symbolic link" in one_line(jsgj("export", "--format", "csv", "--output", str(out)))
    assert victim.read_text(encoding="utf-8") == "precious"


# --- a failed write leaves the previous file ---------------------------------------


def test_a_file_size_limit_leaves_the_previous_export(
    jsgj: Invoke, db: Path, tmp_path: Path
) -> None:
    """`ulimit -f`: the export is refused on one line, exit 1, old ledger intact."""
    target = tmp_path / "ledger.json"
    target.write_text('{"previous": true}\n', encoding="utf-8")
    limit = max(db.stat().st_size, 32768) + 65536  # room for the database's own files
    note = "进展" * 900
    for day in range(1, 2 + limit // (len(note.encode()) - 200)):
        result = jsgj(
            "progress", "3-1", "--by", "教育厅", "--status", "推进中", "--percent", "20",
            "--note", f"{day}{note}",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "jsgj", "--db", str(db), "export", "--output", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        env={**os.environ, "JSGJ_NO_CACHE": "1"},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "file-size limit" in done.stderr
    assert target.read_text(encoding="utf-8") == '{"previous": true}\n'
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", ["json", "xlsx", "csv"])
def test_a_full_disk_leaves_the_previous_export(
    jsgj: Invoke, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    target = tmp_path / ("ledger" if kind == "csv" else f"ledger.{kind}")
    previous = target / "ledger-tasks.csv" if kind == "csv" else target
    previous.parent.mkdir(parents=True, exist_ok=True)
    previous.write_bytes(b"previous")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    err = one_line(jsgj("export", "--format", kind, "--output", str(target)))
    assert "the disk is full" in err
    assert previous.read_bytes() == b"previous"
    assert temporaries(previous.parent) == []


def test_a_name_too_long_is_one_line(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    template = str(tmp_path / ("{date}" * 60 + ".md"))
    assert "too long" in one_line(jsgj("report", "weekly", "--as-of", AS_OF, "-o", template))
    long = str(tmp_path / ("长" * 200 + ".json"))
    assert "too long" in one_line(jsgj("export", "--output", long))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_is_one_line(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "ledger.json").write_text("previous", encoding="utf-8")
    ro.chmod(0o500)
    try:
        assert "permission denied" in one_line(jsgj("export", "--output", str(ro / "ledger.json")))
        assert (ro / "ledger.json").read_text(encoding="utf-8") == "previous"
    finally:
        ro.chmod(0o700)


def test_a_failure_inside_a_stream_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), files.open_atomic_text(target) as f:
        f.write("half a docu")
        raise RuntimeError("the exporter failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert temporaries(tmp_path) == []


def test_stale_temporaries_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    stale = tmp_path / f"{files.TEMP_PREFIX}dead{files.TEMP_SUFFIX}"
    fresh = tmp_path / f"{files.TEMP_PREFIX}busy{files.TEMP_SUFFIX}"
    other = tmp_path / ".somebody-else.tmp"
    for p in (stale, fresh, other):
        p.write_bytes(b"x")
    old = time.time() - files.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    files.write_atomic(tmp_path / "report.md", b"new")
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def test_the_writer_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(JsgjError, match="is a directory"):
        files.write_atomic(tmp_path, b"x")


# --- one snapshot per export -------------------------------------------------------


def test_an_export_reads_one_snapshot_while_a_clerk_records(
    jsgj: Invoke, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report committed between the export's reads is in neither its tasks nor its
    reports, so the ledger never contradicts itself."""
    import jsgj.store.queries as Q

    real = Q.task_states

    def then_a_clerk_records(*args: object, **kwargs: object) -> object:
        states = real(*args, **kwargs)  # type: ignore[arg-type]
        done = subprocess.run(
            [sys.executable, "-m", "jsgj", "--db", str(db), "progress", "3-1", "--by", "教育厅"]
            + ["--status", "推进中", "--percent", "50", "--note", "并发写入"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return states

    monkeypatch.setattr(Q, "task_states", then_a_clerk_records)
    out = tmp_path / "ledger.json"
    assert jsgj("export", "--output", str(out)).exit_code == 0
    ledger = json.loads(out.read_text(encoding="utf-8"))
    task = next(t for t in ledger["tasks"] if t["id"] == "3-1")
    notes = [r["note"] for r in ledger["reports"] if r["task"] == "3-1"]
    assert (task["percent"], notes) == (10, ["起步"])
    monkeypatch.setattr(Q, "task_states", real)
    assert "并发写入" in jsgj("tasks", "show", "3-1", "--json").stdout  # it was recorded


# --- the catalogue cache --------------------------------------------------------------


def data_files() -> tuple[Path, Path]:
    return REPO / "data" / "measures.yaml", REPO / "data" / "departments.yaml"


def test_the_cache_is_plain_json_in_a_private_directory(isolated: Path) -> None:
    first = load_catalog(*data_files())
    (entry,) = (isolated / "cache").glob("catalog-*.json")
    assert (isolated / "cache").stat().st_mode & 0o777 == 0o700
    doc = json.loads(entry.read_text(encoding="utf-8"))
    assert set(doc["sha256"]) == {"measures", "departments"}
    again = load_catalog(*data_files())
    assert again.measures == first.measures and again.departments == first.departments
    assert again.document == first.document


def test_a_planted_pickle_is_never_run(isolated: Path, tmp_path: Path) -> None:
    """What the old cache would have executed: a pickle that creates a file."""
    import pickle

    load_catalog(*data_files())
    (entry,) = (isolated / "cache").glob("catalog-*.json")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(pickle.dumps(Evil()))
    for stale in ("catalog-x.pickle", entry.with_suffix(".pickle").name):
        (isolated / "cache" / stale).write_bytes(pickle.dumps(Evil()))
    assert len(load_catalog(*data_files()).measures) == 19
    assert not marker.exists()
    assert json.loads(entry.read_text(encoding="utf-8"))["format"]  # replaced


@pytest.mark.parametrize(
    "tamper",
    ["garbled", "other-hashes", "wrong-types", "extra-field", "link"],
)
def test_a_foreign_or_forged_entry_is_ignored_and_replaced(
    isolated: Path, tmp_path: Path, tamper: str
) -> None:
    good = load_catalog(*data_files())
    (entry,) = (isolated / "cache").glob("catalog-*.json")
    doc = json.loads(entry.read_text(encoding="utf-8"))
    if tamper == "garbled":
        entry.write_bytes(b"\x00\xff{not json")
    elif tamper == "other-hashes":
        doc["sha256"]["measures"] = "0" * 64
        doc["departments"]["departments"][0]["name"] = "伪造厅"
        entry.write_text(json.dumps(doc), encoding="utf-8")
    elif tamper == "wrong-types":
        doc["measures"]["measures"][0]["number"] = "1"
        entry.write_text(json.dumps(doc), encoding="utf-8")
    elif tamper == "extra-field":
        doc["measures"]["document"]["__class__"] = "os.system"
        entry.write_text(json.dumps(doc), encoding="utf-8")
    else:
        forged = tmp_path / "forged.json"
        doc["departments"]["departments"][0]["name"] = "伪造厅"
        forged.write_text(json.dumps(doc), encoding="utf-8")
        entry.unlink()
        entry.symlink_to(forged)
    again = load_catalog(*data_files())
    assert again.departments == good.departments
    if tamper != "link":
        assert json.loads(entry.read_text(encoding="utf-8"))["sha256"] == doc["sha256"] or (
            tamper in ("garbled", "other-hashes")
        )


def test_the_cached_path_does_not_import_pydantic(isolated: Path) -> None:
    load_catalog(*data_files())
    code = (
        "import sys\n"
        "from jsgj.catalog.load import load_catalog\n"
        f"c = load_catalog({str(data_files()[0])!r}.__class__ and __import__('pathlib').Path("
        f"{str(data_files()[0])!r}), __import__('pathlib').Path({str(data_files()[1])!r}))\n"
        "assert len(c.measures) == 19\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
