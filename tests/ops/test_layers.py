"""The shape of the code a newcomer relies on (docs/architecture.md): apps import only apps
below them, and no module or class grows past what one person can hold."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower first: an app may import the apps after it in this list, never those before.
LAYERS = ["reports", "openspace", "harvest", "cafes", "events", "ops"]
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 250


def app_modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def imported_apps(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & (set(LAYERS) | {"config"})


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_apps_below_it(app):
    allowed = set(LAYERS[LAYERS.index(app) :])
    wrong = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path, tree in app_modules(app)
        for other in imported_apps(tree) - allowed
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_or_class_is_too_big_to_hold(app):
    too_big = []
    for path, tree in app_modules(app):
        lines = len(path.read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            too_big.append(f"{path.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_CLASS_LINES:
                    too_big.append(f"{path.relative_to(ROOT)}: class {node.name}, {length} lines")
    assert not too_big, too_big
