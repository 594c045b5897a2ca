"""The committed JSON Schemas, the packaged data files, and start-up: what `jsgj --help`
imports, and the CLI run as a separate process from another directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, Invoke
from jsgj import paths
from jsgj.catalog.schema import SCHEMA_FILES, schema_texts

SCHEMA_DIR = REPO / "data" / "schema"
HEAVY = ("sqlite_utils", "pydantic", "yaml")


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )


# --- schema -------------------------------------------------------------------------


def test_committed_schemas_are_fresh() -> None:
    for name, text in schema_texts().items():
        committed = SCHEMA_DIR / name
        assert committed.is_file(), f"{committed} is missing: run `make schema`"
        assert committed.read_text(encoding="utf-8") == text, (
            f"{committed} is stale (the models changed): run `make schema` and commit it"
        )


def test_yaml_files_point_at_the_schemas() -> None:
    for data, schema in (
        ("measures.yaml", "measures.schema.json"),
        ("departments.yaml", "departments.schema.json"),
    ):
        first = (REPO / "data" / data).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{schema}"
        assert (REPO / "data" / "schema" / schema).is_file()


def test_schemas_forbid_extra_fields_and_describe_fields() -> None:
    measures = json.loads((SCHEMA_DIR / "measures.schema.json").read_text(encoding="utf-8"))
    assert measures["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert measures["additionalProperties"] is False
    measure = measures["$defs"]["Measure"]
    assert measure["additionalProperties"] is False
    assert set(measure["required"]) == {
        "number",
        "label",
        "section",
        "title",
        "text",
        "departments",
    }
    assert "first leads" in measure["properties"]["departments"]["description"]
    departments = json.loads((SCHEMA_DIR / "departments.schema.json").read_text("utf-8"))
    kinds = departments["$defs"]["DepartmentKind"]["enum"]
    assert "local_government" in kinds and "party_organ" in kinds


def test_schema_command_writes_the_same_files(jsgj: Invoke, tmp_path: Path) -> None:
    result = jsgj("schema", "--output", str(tmp_path / "out"))
    assert result.exit_code == 0
    for name in SCHEMA_FILES:
        written = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert written == (SCHEMA_DIR / name).read_text(encoding="utf-8")
    printed = jsgj("schema")
    assert printed.exit_code == 0
    assert set(json.loads(printed.stdout)) == set(SCHEMA_FILES)


# --- packaged data ----------------------------------------------------------------


def test_package_data_exists() -> None:
    assert paths.PACKAGE_DATA.is_dir()
    for f in (paths.measures_path(), paths.departments_path(), paths.source_path()):
        assert f.is_file(), f
        assert f.parent.parent == paths.PACKAGE_DATA or f.parent == paths.PACKAGE_DATA
    assert paths.measures_path() == paths.PACKAGE_DATA / "measures.yaml"
    assert (paths.PACKAGE_DATA / "schema" / "measures.schema.json").is_file()


def test_cli_works_from_another_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jsgj", "measures", "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    records = json.loads(result.stdout.decode("utf-8"))
    assert [r["number"] for r in records] == list(range(1, 20))
    assert "省人力资源社会保障厅" in result.stdout.decode("utf-8")  # UTF-8, not escaped


# --- start-up -----------------------------------------------------------------------

_PROBE = """
import sys
sys.argv = {argv!r}
from jsgj.cli.app import main
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
print("\\nPROBE", code, *sorted(m for m in {heavy!r} if m in sys.modules))
"""


def probe(argv: list[str], cwd: Path, watch: tuple[str, ...] = HEAVY) -> tuple[str, list[str]]:
    """Run the CLI in a fresh interpreter: (exit code, modules of ``watch`` it imported)."""
    result = run_python(_PROBE.format(argv=argv, heavy=watch), cwd)
    last = result.stdout.rstrip("\n").splitlines()[-1].split()
    assert last[0] == "PROBE", result.stdout + result.stderr
    return last[1], last[2:]


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    code, heavy = probe(["jsgj", "--help"], tmp_path)
    assert code in ("0", "None")
    assert heavy == [], f"`jsgj --help` imported {heavy}"


def test_warm_measures_list_skips_the_loader(tmp_path: Path) -> None:
    """With the catalogue cached, browsing reads no YAML and validates nothing. (Pydantic
    itself is imported by Typer >= 0.29 to coerce any command's parameters, so it is not
    watched here.)"""
    argv = ["jsgj", "measures", "list", "--json"]
    watch = ("yaml", "sqlite_utils", "jsgj.catalog.loader", "jsgj.validate")
    code, loaded = probe(argv, tmp_path, watch)  # fills the cache
    assert code in ("0", "None")
    assert "jsgj.catalog.loader" in loaded  # the cold run did validate
    code, loaded = probe(argv, tmp_path, watch)
    assert code in ("0", "None")
    assert loaded == [], f"warm `jsgj measures list --json` imported {loaded}"
