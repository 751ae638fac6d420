"""Every module of ``accord.algorithms`` is pure (decision 1): no Django, nothing of the apps above it.

Each module's source is read for ``import`` statements anywhere in it (functions and
``TYPE_CHECKING`` blocks included), then all of them are imported in a fresh interpreter where Django
cannot be imported at all, which also catches what the modules pull in indirectly. The one layer
they may use is the pure reference data below them (``accord.reference``: ISCED-F, CEFR, languages,
academic years), whose modules are held to the same rule.
"""

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path

import accord.algorithms

PACKAGE = "accord.algorithms"
TESTS = f"{PACKAGE}.tests"
REFERENCE = "accord.reference"
REPOSITORY_ROOT = Path(accord.algorithms.__file__).resolve().parents[2]

IMPORT_ALL_WITHOUT_DJANGO = """
import importlib, sys

class RefuseDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"{name} imported by a pure module")
        return None

sys.meta_path.insert(0, RefuseDjango())
for name in sys.argv[1:]:
    importlib.import_module(name)
outside = sorted(
    name for name in sys.modules
    if name.startswith("accord.") and not name.startswith((%r, %r))
)
if outside:
    sys.exit(f"modules outside the pure layers were imported: {outside}")
"""


def pure_modules() -> list[str]:
    return [
        module.name
        for module in pkgutil.walk_packages(accord.algorithms.__path__, f"{PACKAGE}.")
        if module.name != TESTS and not module.name.startswith(f"{TESTS}.")
    ]


def imported_names(module: str) -> set[str]:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, module
    is_package = spec.submodule_search_locations is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"), filename=spec.origin)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                names.add(importlib.util.resolve_name("." * node.level + (node.module or ""), package))
            else:
                names.add(node.module or "")
    return names


def is_forbidden(name: str) -> bool:
    top = name.partition(".")[0]
    if top == "django":
        return True
    return top == "accord" and not name.startswith((f"{PACKAGE}.", f"{REFERENCE}.")) and name != PACKAGE


def test_no_module_imports_django_or_the_apps() -> None:
    modules = pure_modules()
    reference = sorted(
        {name for module in modules for name in imported_names(module) if name.startswith(f"{REFERENCE}.")}
    )
    assert len(modules) > 20, modules

    forbidden = {
        module: sorted(name for name in imported_names(module) if is_forbidden(name))
        for module in modules + reference
    }
    assert {module: names for module, names in forbidden.items() if names} == {}

    script = IMPORT_ALL_WITHOUT_DJANGO % (PACKAGE, REFERENCE)
    completed = subprocess.run(
        [sys.executable, "-c", script, *modules],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
