"""The arrows between the apps run one way: reports, system -> metrics, finance, schemes ->
bettercare (system, the view across areas, reads the three middle apps as reports does).

Every module of every app is read (its source, not imported) and each import it makes, at the top
or inside a function, is checked: an app may import its own modules and those of the layers below
it, never a layer above, and the three apps of the middle layer never import each other (schemes
and finance share the scheme register and the funding vocabulary through bettercare). bettercare
finds the apps above it through their AppConfigs (bettercare.contributions), never by name.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"bettercare": 0, "schemes": 1, "metrics": 1, "finance": 1, "reports": 2, "system": 2}


def imported_modules(source: str, module: str, *, is_package=False) -> list[tuple[int, str]]:
    """(line, dotted name) of every module the source imports, relative imports resolved, and
    of every `import_module("...")` given a literal name."""
    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module
            found.append((node.lineno, name))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def wrong_arrows(source: str, module: str, *, is_package=False) -> list[str]:
    app = module.split(".")[0]
    wrong = []
    for line, name in imported_modules(source, module, is_package=is_package):
        target = name.split(".")[0]
        if target == app or target not in LAYERS:
            continue
        if LAYERS[target] >= LAYERS[app]:
            wrong.append(f"{module}:{line} imports {name}")
    return wrong


def app_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            is_package = relative.name == "__init__"
            parts = relative.parts[:-1] if is_package else relative.parts
            yield ".".join(parts), path, is_package


def test_no_module_imports_an_app_above_or_beside_it():
    wrong = []
    for module, path, is_package in app_modules():
        source = path.read_text(encoding="utf-8")
        wrong.extend(wrong_arrows(source, module, is_package=is_package))
    assert wrong == [], "Imports against the arrows:\n" + "\n".join(wrong)


def test_every_app_module_is_read():
    modules = {module for module, _, _ in app_modules()}
    assert {"bettercare.contributions", "schemes.views", "finance.imports"} <= modules
    assert len(modules) > 100


@pytest.mark.parametrize(
    ("module", "source", "caught"),
    [
        ("finance.models", "from schemes.models import HighlightReport", True),
        ("schemes.views", "def view():\n    from finance.selectors import x", True),
        ("bettercare.demo", "import importlib\nimportlib.import_module('reports.demo')", True),
        ("bettercare.selectors", "from ..reports import views", True),  # relative, still up
        ("metrics.selectors", "from .rag import Rag", False),
        ("metrics.selectors", "from ..finance import variance", True),  # beside it
        ("reports.selectors", "import finance.selectors", False),
        ("reports.views", "from bettercare.models import Scheme", False),
        ("bettercare.models", "from . import reports", False),  # would be bettercare.reports
        ("schemes.forms", "import metrics", True),
    ],
)
def test_the_check_sees_each_kind_of_import(module, source, caught):
    assert bool(wrong_arrows(source, module)) is caught
