"""YAML in, validated dataclasses out, with file/line/column on every error.

Only safe YAML is read (libyaml's C safe loader when present): a ``!!python/...``
tag is reported as an error, never run. The node tree is kept so that a schema
error at ``measures[8].departments[2]`` points at that line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import yaml

from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.catalog.wording import schema_problem, yaml_problem
from jsgj.errors import InvalidDataError, Problem
from jsgj.i18n import _
from jsgj.paths import display

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

# CSafeLoader is not a subclass of SafeLoader (it pairs libyaml's parser with the
# same SafeConstructor), hence the union.
_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

T = TypeVar("T")
PathKey = tuple[str | int, ...]

# Error codes of the loader; validate.py adds the semantic ones.
YAML_SYNTAX = "Y001"
YAML_UNSAFE_TAG = "Y002"
FILE_UNREADABLE = "Y003"
YAML_DUPLICATE_KEY = "Y004"
SCHEMA = "S001"


@dataclass(frozen=True, slots=True)
class Mark:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Loaded(Generic[T]):
    """A validated file with the position of every node, for later checks' messages."""

    path: Path
    data: T
    marks: dict[PathKey, Mark]

    @property
    def name(self) -> str:
        return display(self.path)

    def mark(self, *key: str | int) -> Mark:
        """Position of the node at ``key``, or of its nearest ancestor that exists."""
        k: PathKey = key
        while k and k not in self.marks:
            k = k[:-1]
        return self.marks.get(k, Mark(1, 1))

    def problem(self, code: str, message: str, *key: str | int) -> Problem:
        m = self.mark(*key)
        return Problem(self.name, m.line, m.column, code, message)


class _Alias(Exception):
    """A node reached twice: an alias (``*name``) of an anchored node (``&name``)."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _walk(
    node: yaml.Node,
    key: PathKey,
    marks: dict[PathKey, Mark],
    duplicates: list[tuple[str, Mark]],
    seen_nodes: set[int] | None = None,
) -> None:
    # Aliases are refused: the data files need none, and nested ones ("billion laughs")
    # would make this walk, and the validation after it, take exponential time.
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in seen_nodes:
            raise _Alias(node)
        seen_nodes.add(id(node))
    marks[key] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen and k.value != "<<":
                    # PyYAML would silently keep the last value: a lost edit.
                    duplicates.append(
                        (
                            _where((*key, k.value)),
                            Mark(k.start_mark.line + 1, k.start_mark.column + 1),
                        )
                    )
                seen.add(k.value)
                _walk(v, (*key, k.value), marks, duplicates, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*key, i), marks, duplicates, seen_nodes)


def _bad_scalar(loader: Any, root: yaml.Node) -> yaml.Mark | None:
    """Where the first scalar that cannot be built is (in document order)."""
    # The failed construction left its bookkeeping behind; start afresh.
    loader.constructed_objects = {}
    loader.recursive_objects = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except (ValueError, OverflowError):
                return node.start_mark
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([n for pair in node.value for n in pair]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def _where(loc: PathKey) -> str:
    """``("measures", 8, "departments", 2)`` -> ``measures[8].departments[2]``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def read_yaml(path: Path) -> tuple[Any, dict[PathKey, Mark]]:
    """Parse one file safely. Raises InvalidDataError with the place of a syntax error."""
    name = display(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        # A Problem (not a bare message) so that `jsgj validate` reports it with the rest.
        raise InvalidDataError(
            [
                Problem(
                    name,
                    1,
                    1,
                    FILE_UNREADABLE,
                    _("cannot read the file ({reason})").format(reason=e.strerror or e),
                )
            ]
        ) from e
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidDataError(
            [
                Problem(
                    name,
                    1,
                    1,
                    FILE_UNREADABLE,
                    _("not UTF-8 (byte {n}): save the file as UTF-8").format(n=e.start),
                )
            ]
        ) from e
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        marks: dict[PathKey, Mark] = {}
        if node is None:
            return None, marks
        duplicates: list[tuple[str, Mark]] = []
        try:
            _walk(node, (), marks, duplicates)
        except _Alias as alias:
            m = alias.node.start_mark
            raise InvalidDataError(
                [
                    Problem(
                        name,
                        m.line + 1,
                        m.column + 1,
                        YAML_UNSAFE_TAG,
                        _(
                            "YAML anchors and aliases (&name, *name) are not allowed: "
                            "only plain YAML data is read"
                        ),
                    )
                ]
            ) from None
        if duplicates:
            raise InvalidDataError(
                [
                    Problem(
                        name,
                        m.line,
                        m.column,
                        YAML_DUPLICATE_KEY,
                        _("{where}: duplicate key").format(where=where),
                    )
                    for where, m in duplicates
                ]
            )
        try:
            data = loader.construct_document(node)
        except (ValueError, OverflowError) as e:  # a scalar that looks right but is not,
            m = _bad_scalar(loader, node) or node.start_mark  # e.g. the date 2025-02-30
            raise InvalidDataError(
                [
                    Problem(
                        name,
                        m.line + 1,
                        m.column + 1,
                        YAML_SYNTAX,
                        _("invalid value: not a real date or number"),
                    )
                ]
            ) from e
    except yaml.constructor.ConstructorError as e:
        m = e.problem_mark
        tag = (e.problem or "").split("tag '")[-1].rstrip("'")
        code, what = (
            (
                YAML_UNSAFE_TAG,
                _("the tag {tag!r} is not allowed: only plain YAML data is read").format(tag=tag),
            )
            if "tag" in (e.problem or "")
            else (YAML_SYNTAX, _("cannot build a value here"))
        )
        raise InvalidDataError(
            [Problem(name, (m.line + 1) if m else 1, (m.column + 1) if m else 1, code, what)]
        ) from e
    except yaml.MarkedYAMLError as e:
        m = e.problem_mark or e.context_mark
        raise InvalidDataError(
            [
                Problem(
                    name,
                    (m.line + 1) if m else 1,
                    (m.column + 1) if m else 1,
                    YAML_SYNTAX,
                    yaml_problem(e.problem, e.context),
                )
            ]
        ) from e
    except yaml.YAMLError as e:
        raise InvalidDataError([Problem(name, 1, 1, YAML_SYNTAX, yaml_problem(None))]) from e
    finally:
        loader.dispose()
    return data, marks


def _schema_problems(
    name: str, error: ValidationError, marks: dict[PathKey, Mark]
) -> Iterator[Problem]:
    for err in error.errors(include_url=False):
        loc: PathKey = tuple(err["loc"])
        k = loc
        while k and k not in marks:
            k = k[:-1]
        m = marks.get(k, Mark(1, 1))
        where = _where(loc) or _("the file")
        msg = schema_problem(err["type"], err.get("ctx"), err.get("input"))
        yield Problem(name, m.line, m.column, SCHEMA, f"{where}: {msg}")


_ADAPTERS: dict[type[Any], Any] = {}


def _adapter(model: type[T]) -> TypeAdapter[T]:
    """One adapter per model and process: building it is most of Pydantic's cost."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return cast("TypeAdapter[T]", adapter)


def validate_schema(path: Path, model: type[T]) -> Loaded[T]:
    """Read ``path`` and validate it against ``model`` with Pydantic."""
    from pydantic import ValidationError

    data, marks = read_yaml(path)
    try:
        value = _adapter(model).validate_python(data)
    except ValidationError as e:
        raise InvalidDataError(list(_schema_problems(display(path), e, marks))) from e
    return Loaded(path, value, marks)


def check_schema(path: Path, model: type[Any]) -> list[Problem]:
    """``validate_schema``'s problems as a list (none when the file is valid): the
    Y*/S* problems of a settings file for `jsgj validate`."""
    try:
        validate_schema(path, model)
    except InvalidDataError as e:
        return list(e.problems)
    return []


def load_measures(path: Path) -> Loaded[MeasuresFile]:
    return validate_schema(path, MeasuresFile)


def load_departments(path: Path) -> Loaded[DepartmentsFile]:
    return validate_schema(path, DepartmentsFile)
