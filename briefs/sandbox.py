"""The Jinja environment brief templates run in: sandboxed, single-file, on a budget.

A template is code from whoever edits ``templates/``; it must not read files,
reach Python internals, or take the machine down. Jinja's sandbox already
blocks attribute escapes (``__mro__``, ``__globals__``); this module adds

- **one file**: ``{% include %}``, ``{% import %}`` and ``{% extends %}`` are
  refused when the template is compiled (there is no loader to read others);
- **budgets** checked *before* a value is made, so ``{{ 'A' * 10**10 }}`` fails
  in microseconds instead of allocating 10 GB: the size of any string or list
  an operator, a filter or a method builds (and of the whole output), the
  total number of loop iterations, the depth of nested calls (recursive
  macros), and the wall time of the render.

Any error while rendering, of any type, becomes a :class:`TemplateError` naming
the template and the template line it was raised from.
"""

from __future__ import annotations

import functools
import re
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefs.errors import TemplateError

# Nodes that would read another template; a brief template is one file.
FOREIGN = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
    nodes.Extends: "extends",
}
# str methods whose integer argument is the size of the result.
SIZED_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
BRACE_WIDTH = re.compile(r"\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")
LOOP_FILTER = "tracebrief_loop_budget"


@dataclass(frozen=True, slots=True)
class Budget:
    """What one render may use. The defaults are far above any real brief."""

    output: int = 2_000_000  # characters of output, and of any one value
    iterations: int = 200_000  # loop iterations in all
    depth: int = 40  # nested calls (a macro calling itself)
    seconds: float = 10.0  # wall time of the render
    int_bits: int = 4096  # size of an integer an operator may make


class BudgetExceeded(Exception):
    """A template went past one of its render budgets."""


class GuardedCodeGenerator(CodeGenerator):
    """Jinja's code generator with ``~`` routed through the size check."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.guarded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BriefEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with the budgets of one render; make a new one per render."""

    code_generator_class = GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, budget: Budget | None = None) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.budget = budget or Budget()
        self.iterations = 0
        self.depth = 0
        self.deadline = time.monotonic() + self.budget.seconds
        self.filters = {k: self.guard_filter(k, f) for k, f in self.filters.items()}
        self.filters[LOOP_FILTER] = self.counted
        self.globals["range"] = self.bounded_range

    # -- the checks ---------------------------------------------------------

    def check_time(self) -> None:
        """Stop a render that has run past its time budget."""
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"render took longer than {self.budget.seconds:g} s (the time budget)"
            )

    def check_size(self, n: int, what: str) -> None:
        """Refuse to make a value (or output) of more than the size budget."""
        if n > self.budget.output:
            raise BudgetExceeded(
                f"{what} would make {n:,} characters or items, more than the "
                f"render budget of {self.budget.output:,}"
            )

    def check_format(self, fmt: str) -> None:
        """Refuse a format string whose widths would exceed the size budget."""
        for m in (*FORMAT_WIDTH.finditer(fmt), *BRACE_WIDTH.finditer(fmt)):
            for width in m.groups():
                if width == "*":
                    raise BudgetExceeded("a '*' width in a format string")
                if width and int(width) > self.budget.output:
                    self.check_size(int(width), "a format width")

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Yield from a loop's iterable, counting iterations against the budget."""
        for item in iterable:
            self.iterations += 1
            if self.iterations > self.budget.iterations:
                raise BudgetExceeded(
                    f"more than {self.budget.iterations:,} loop iterations "
                    "(the render budget)"
                )
            self.check_time()
            yield item

    def bounded_range(self, *args: int) -> range:
        """``range`` whose length counts against the iteration budget."""
        numbers = range(*args)
        if len(numbers) > self.budget.iterations:
            raise BudgetExceeded(
                f"range() of {len(numbers):,} items is more than the "
                f"{self.budget.iterations:,} loop iterations a render may make"
            )
        return numbers

    # -- hooks the compiled template calls -----------------------------------

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``+``, ``%``, ``//`` with their result's size checked first."""
        self.check_time()
        if operator == "*":
            self.check_product(left, right)
        elif operator == "**":
            self.check_power(left, right)
        elif operator == "+" and sized(left) and sized(right):
            self.check_size(len(left) + len(right), "'+'")
        elif operator == "%" and isinstance(left, str):
            self.check_format(left)
        result = super().call_binop(context, operator, left, right)
        if sized(result):
            self.check_size(len(result), f"'{operator}'")
        return result

    def check_product(self, left: Any, right: Any) -> None:
        """``'A' * 10**10`` and ``[0] * 10**10`` are refused before they are made."""
        for seq, n in ((left, right), (right, left)):
            if sized(seq) and is_int(n):
                self.check_size(len(seq) * max(n, 0), "'*'")
        if is_int(left) and is_int(right):
            bits = left.bit_length() + right.bit_length()
            if bits > self.budget.int_bits:
                raise BudgetExceeded(f"'*' would make an integer of about {bits} bits")

    def check_power(self, base: Any, exponent: Any) -> None:
        """``10**10**10`` is refused before Python spends minutes on it."""
        if is_int(base) and is_int(exponent) and exponent > 0:
            bits = max(base.bit_length() - 1, 1) * exponent
            if abs(base) > 1 and bits > self.budget.int_bits:
                raise BudgetExceeded(
                    f"'**' would make an integer of about {bits:,} bits"
                )

    def guarded_concat(self, values: tuple[Any, ...]) -> str:
        """``a ~ b``: the joined length is checked before joining."""
        parts = [str(v) for v in values]
        self.check_size(sum(map(len, parts)), "'~'")
        return "".join(parts)

    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Every call a template makes: depth, time and size checked."""
        __self.check_time()
        __self.check_call(__obj, args)
        __self.depth += 1
        try:
            if __self.depth > __self.budget.depth:
                raise BudgetExceeded(
                    f"calls nested more than {__self.budget.depth} deep "
                    "(a macro calling itself?)"
                )
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            __self.depth -= 1
        if sized(result):
            __self.check_size(len(result), "a call")
        return result

    def check_call(self, obj: Any, args: tuple[Any, ...]) -> None:
        """Size arguments of str methods, checked before the call."""
        owner = getattr(getattr(obj, "__wrapped__", obj), "__self__", None)
        if not isinstance(owner, str):
            return
        name = getattr(obj, "__name__", "")
        if name in SIZED_METHODS:
            for arg in args:
                if is_int(arg):
                    self.check_size(arg, f"str.{name}()")
        elif name in ("format", "format_map"):
            self.check_format(owner)
        elif name == "join" and args and sized(args[0]):
            items = [str(x) for x in args[0]]
            self.check_size(sum(map(len, items)) + len(owner) * len(items), "join")

    def guard_filter(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """A filter with its size arguments checked before, and its result after."""

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.check_time()
            values = [
                a for a in (*args, *kwargs.values()) if not isinstance(a, Context)
            ]
            if name == "format" and values and isinstance(values[0], str):
                self.check_format(values[0])
            elif name == "join" and values and sized(values[0]):
                self.check_size(sum(len(str(x)) for x in values[0]), "join")
            else:
                for value in values[1:]:
                    if is_int(value):
                        self.check_size(value, f"filter '{name}'")
            result = fn(*args, **kwargs)
            if sized(result):
                self.check_size(len(result), f"filter '{name}'")
            return result

        return guarded


def sized(value: Any) -> bool:
    """A value whose length is its memory: strings and containers."""
    return isinstance(value, str | bytes | list | tuple | dict | set | frozenset)


def is_int(value: Any) -> bool:
    """An int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def compile_template(env: BriefEnvironment, path: Path, source: str) -> jinja2.Template:
    """Parse and compile a template body; syntax errors and foreign nodes name the line."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(path, e.lineno, f"template syntax: {e.message}") from None
    for node in tree.find_all(tuple(FOREIGN)):
        tag = FOREIGN[type(node)]
        raise TemplateError(
            path,
            node.lineno,
            f"{{% {tag} %}} is not allowed: a brief template is one file "
            "(use a macro in the same file)",
        )
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None)
    try:
        template = env.from_string(tree)
    except jinja2.TemplateSyntaxError as e:  # e.g. an unknown filter
        raise TemplateError(path, e.lineno, f"template syntax: {e.message}") from None
    template.filename = str(path)
    return template


def render_template(
    path: Path, source: str, names: dict[str, Any], budget: Budget | None = None
) -> str:
    """Render a template body within its budgets; every failure names path and line."""
    env = BriefEnvironment(budget)
    template = compile_template(env, path, source)
    stream = template.root_render_func(template.new_context(names))
    parts: list[str] = []
    size = 0
    try:
        try:
            for chunk in stream:
                size += len(chunk)
                if size > env.budget.output:
                    line = template.get_corresponding_lineno(innermost(stream))
                    msg = f"the output passed {env.budget.output:,} characters"
                    raise TemplateError(path, line, f"render budget: {msg}")
                parts.append(chunk)
        except TemplateError as e:
            if e.line is not None:
                raise
            env.handle_exception()  # re-raises with template lines in the traceback
        except Exception:
            env.handle_exception()
    except TemplateError as e:
        raise TemplateError(path, e.line or template_line(e), e.message) from None
    except Exception as e:  # any error in template code is the template's
        raise TemplateError(path, template_line(e), describe(e)) from None
    return "".join(parts)


def innermost(stream: Any) -> int:
    """The line of compiled template code a suspended render stream is at."""
    while getattr(stream, "gi_yieldfrom", None) is not None:
        stream = stream.gi_yieldfrom
    frame = getattr(stream, "gi_frame", None)
    return frame.f_lineno if frame is not None else 0


def describe(error: Exception) -> str:
    """A one-line account of an error raised while rendering."""
    if isinstance(error, BudgetExceeded):
        return f"render budget: {error}"
    if isinstance(error, jinja2.UndefinedError):
        return f"undefined: {error.message}"
    if isinstance(error, jinja2.TemplateError):  # sandbox violations
        return str(error.message)
    if isinstance(error, RecursionError | MemoryError):
        return f"render budget: {type(error).__name__}"
    text = re.sub(r"\w+\.<locals>\.", "", " ".join(str(error).split())) or "no detail"
    return f"{type(error).__name__}: {text}"


def template_line(error: BaseException) -> int | None:
    """The template line an error was raised from, read off its traceback."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == "<template>" or frame.filename.endswith(".j2"):
            line = frame.lineno
    return line
