"""Layer rule of ARCHITECTURE.md: domain and application import no adapter, entry point or I/O library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import arandu

PACKAGE = Path(arandu.__file__).parent
FORBIDDEN = (
    "arandu.adapters",
    "arandu.entrypoints",
    "dependency_injector",
    "cyclopts",
    "pydantic_settings",
    "fsspec",
    "orjson",
    "openai",
    "ollama",
)
INNER_LAYERS = ("domain", "application")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    return imports_in(path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py")


def imports_in(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module `source` imports, relative imports resolved, including those under TYPE_CHECKING."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            found.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return found


def forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


INNER_FILES = sorted(p for layer in INNER_LAYERS for p in (PACKAGE / layer).rglob("*.py"))


def test_the_walk_finds_the_inner_layers() -> None:
    names = {module_name(p) for p in INNER_FILES}
    assert {"arandu.domain.transcript", "arandu.domain.criteria.repetition", "arandu.application.judge_corpus"} <= names


@pytest.mark.parametrize("path", INNER_FILES, ids=lambda p: module_name(p))
def test_inner_layers_import_nothing_from_outer_layers(path: Path) -> None:
    bad = sorted(m for m in imports_of(path) if forbidden(m))
    assert bad == [], f"{module_name(path)} imports {bad}"


def test_the_domain_does_not_import_the_application() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        assert not any(m.startswith("arandu.application") for m in imports_of(path)), path


@pytest.mark.parametrize(
    "source",
    [
        "from ...adapters.records import arandu_json",
        "from ... import entrypoints",
        "import orjson",
        "from fsspec.core import url_to_fs",
        "import dependency_injector.containers as c",
        "if TYPE_CHECKING:\n    from cyclopts import App",
        "def f():\n    import pydantic_settings",
        "importlib.import_module('openai')",
    ],
)
def test_the_checker_catches_every_form_of_violation(source: str) -> None:
    found = imports_in(source, "arandu.domain.criteria.repetition")
    assert any(forbidden(m) for m in found), found


def test_relative_imports_resolve_to_absolute_names() -> None:
    assert "arandu.domain.transcript" in imports_in("from ..transcript import Transcript", "arandu.domain.criteria.x")
    assert "arandu.domain.transcript" in imports_in("from .transcript import T", "arandu.domain", is_package=True)


def test_importing_the_inner_layers_loads_no_outer_library() -> None:
    modules = sorted(module_name(p) for p in INNER_FILES)
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"print(sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
