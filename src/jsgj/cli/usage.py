"""Usage errors in jsgj's words. Typer (which coerces values through Pydantic) words a
bad value as "Invalid value for '--percent' / '-p': Input should be a valid integer,
unable to parse string as an integer"; a clerk reads "--percent：'50%' 无效，应为0到100的整数".

The error is told apart by its public attributes (``param``, ``option_name``,
``possibilities``, ``message``) and the kind of problem the library names; anything
not recognised is still one line, with the option named and jsgj's own wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import get_close_matches
from typing import Any

from jsgj.i18n import _


def _option(param: Any) -> str:
    """An option as the user typed it (its long form), or an argument's name."""
    opts = [o for o in getattr(param, "opts", ()) or () if o.startswith("-")]
    if opts:
        return str(max(opts, key=len))
    return str(getattr(param, "metavar", None) or getattr(param, "name", "") or "?").upper()


def _given(param: Any, argv: Sequence[str]) -> str | None:
    """The value the user gave the option, found in the command line."""
    opts = [o for o in getattr(param, "opts", ()) or () if o.startswith("-")]
    for i, arg in enumerate(argv):
        for opt in opts:
            if arg == opt and i + 1 < len(argv):
                return argv[i + 1]
            if opt.startswith("--") and arg.startswith(opt + "="):
                return arg[len(opt) + 1 :]
            if not opt.startswith("--") and arg.startswith(opt) and len(arg) > len(opt):
                return arg[len(opt) :]
    return None


def _expected(param: Any, detail: str) -> str:
    """What the option takes, from the kind of problem the validation library found."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if "is not one of" in detail:
        choices = re.findall(r"'([^']*)'", detail.split("is not one of", 1)[1])
        return _("one of {choices}").format(choices=", ".join(choices))
    if low is not None and high is not None:
        return _("a whole number from {low} to {high}").format(low=low, high=high)
    if "integer" in detail:
        return _("a whole number")
    if "number" in detail or "float" in detail:
        return _("a number")
    if "date" in detail:
        return _("a date, YYYY-MM-DD")
    if "directory" in detail:
        return _("a file, not a directory")
    if "file" in detail.lower() or "path" in detail.lower():
        return _("a file name")
    help_text = getattr(param, "help", None)
    return help_text or _("see the help")


def usage_message(error: Any, argv: Sequence[str]) -> str:
    """One line for a Typer usage error, ending with where to read more."""
    kind = type(error).__name__
    detail = str(getattr(error, "message", "") or "")
    param = getattr(error, "param", None)
    if kind == "MissingParameter" and param is not None:
        if getattr(param, "opts", None) and _option(param).startswith("-"):
            text = _("missing option {option}").format(option=_option(param))
        else:
            text = _("missing argument {argument}").format(argument=_option(param))
    elif kind == "BadParameter" and param is not None:
        value = _given(param, argv)
        text = _("{option}: {value} is not valid; expected {expected}").format(
            option=_option(param),
            value=repr(value) if value is not None else _("the value"),
            expected=_expected(param, detail),
        )
    elif kind == "NoSuchOption":
        text = _("no such option {option}").format(option=getattr(error, "option_name", "?"))
        possible = getattr(error, "possibilities", None)
        if possible:
            text += _("; did you mean {options}?").format(options=", ".join(sorted(possible)))
    elif kind == "BadOptionUsage" and "requires an argument" in detail:
        text = _("{option} needs a value").format(option=getattr(error, "option_name", "?"))
    elif detail.startswith("No such command"):
        name = re.search(r"No such command '([^']*)'", detail)
        text = _("no such command {name}").format(name=repr(name.group(1)) if name else "?")
        ctx = getattr(error, "ctx", None)
        known = ctx.command.list_commands(ctx) if ctx is not None else []
        suggested = get_close_matches(name.group(1), known) if name else []
        if suggested:
            text += _("; did you mean {options}?").format(options=", ".join(suggested))
    elif detail.startswith("Got unexpected extra argument"):
        extra = re.findall(r"\(([^()]*)\)", detail)
        text = _("unexpected extra argument {arguments}").format(
            arguments=extra[-1] if extra else ""
        )
    elif detail.startswith("Missing command"):
        text = _("missing command")
    else:
        text = error.format_message()
    ctx = getattr(error, "ctx", None)
    if ctx is not None and getattr(error, "exit_code", 2) == 2:
        text += " " + _("(see '{command} --help')").format(command=ctx.command_path)
    return str(text)
