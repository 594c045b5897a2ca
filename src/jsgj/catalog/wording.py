"""Problems in a data file, in jsgj's words and the user's language: the YAML parser's
and the validation library's own wording never reaches a user.

``yaml_problem`` words a YAML syntax error by what the parser found; ``schema_problem``
words one Pydantic error by its type (``missing``, ``int_parsing``, ``less_than_equal``
...) and its context (the limit, the expected values), with the value the file holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsgj.i18n import N_, _

# What the YAML parser found (a phrase of its problem text) -> what to say and do.
_YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    (
        "did not find expected ',' or ']'",
        N_("a list in [ ] is not closed: a ',' or ']' is missing"),
    ),
    (
        "did not find expected ',' or '}'",
        N_("a mapping in { } is not closed: a ',' or '}' is missing"),
    ),
    (
        "mapping values are not allowed",
        N_("a ':' where none may be: quote the text if it holds ': '"),
    ),
    ("could not find expected ':'", N_("a key without ':' (or a line indented too far)")),
    ("did not find expected key", N_("the indentation does not match the lines above")),
    ("did not find expected '-'", N_("the indentation does not match the list above")),
    (
        "cannot start any token",
        N_("a character that cannot start a value here (a tab? indent with spaces)"),
    ),
    (
        "found unexpected end of stream",
        N_("the file ends inside a quoted text: a quote is not closed"),
    ),
    ("found unknown escape character", N_("an unknown escape (\\) in a quoted text")),
    ("expected <block end>", N_("the indentation does not match the lines above")),
    ("found undefined alias", N_("an alias (*name) names no anchor")),
    ("expected a single document", N_("more than one YAML document (---) in the file")),
)


def yaml_problem(problem: str | None, context: str | None = None) -> str:
    """A YAML syntax error, worded by what the parser found (never its own text)."""
    found = " ".join(x for x in (context, problem) if x)
    for phrase, message in _YAML_PROBLEMS:
        if phrase in found:
            return _("YAML syntax error: {what}").format(what=_(message))
    return _("YAML syntax error: check the indentation, the colons, the brackets and the quotes")


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def schema_problem(kind: str, ctx: Mapping[str, Any] | None, value: Any) -> str:
    """One schema error (a Pydantic error's type and context, and the value found)."""
    c = dict(ctx or {})
    got = _shown(value)
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return _("unknown field (not part of the schema)")
    if kind in ("missing", "missing_keyword_argument", "missing_argument"):
        return _("required field is missing")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("expected a whole number, not {value}").format(value=got)
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("expected a number, not {value}").format(value=got)
    if kind in ("bool_parsing", "bool_type"):
        return _("expected true or false, not {value}").format(value=got)
    if kind in ("string_type", "str_type"):
        return _("expected text, not {value}").format(value=got)
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("expected a date YYYY-MM-DD, not {value}").format(value=got)
    if kind in ("dict_type", "model_type", "dataclass_type", "model_attributes_type"):
        return _("expected a mapping (key: value), not {value}").format(value=got)
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return _("expected a list, not {value}").format(value=got)
    bounds = {
        "greater_than": ("gt", N_("must be greater than {limit}, not {value}")),
        "greater_than_equal": ("ge", N_("must be at least {limit}, not {value}")),
        "less_than": ("lt", N_("must be less than {limit}, not {value}")),
        "less_than_equal": ("le", N_("must be at most {limit}, not {value}")),
    }
    if kind in bounds:
        key, message = bounds[kind]
        return _(message).format(limit=c.get(key, "?"), value=got)
    if kind in ("too_short", "string_too_short"):
        return _("too short: at least {n} needed").format(n=c.get("min_length", "?"))
    if kind in ("too_long", "string_too_long"):
        return _("too long: at most {n} allowed").format(n=c.get("max_length", "?"))
    if kind in ("literal_error", "enum"):
        return _("must be one of {choices}, not {value}").format(
            choices=str(c.get("expected", "?")).replace(" or ", ", "), value=got
        )
    if kind in ("value_error", "assertion_error") and "error" in c:
        return str(c["error"])  # a check of jsgj's own, already in the user's language
    return _("invalid value {value}").format(value=got)
