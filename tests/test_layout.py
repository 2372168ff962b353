"""The layout is the architecture: data in (intake), the model, calibration, pure presentation (view), the
Streamlit glue (ui) and pages, the exports and the store, each importing only what comes before it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("model", "intake", "calibration", "track", "store", "view", "exports", "ui")
# Who may import whom. Pages and app.py may import every package.
ALLOWED = {
    "model": set(),
    "intake": {"model"},
    "calibration": {"model", "intake"},
    "track": {"model", "intake", "calibration"},
    "store": {"model"},
    "view": {"model", "intake", "calibration", "track"},
    "exports": {"model", "view", "track"},
    "ui": {"model", "intake", "calibration", "track", "store", "view", "exports"},
    "pages": set(PACKAGES),
}
WITHOUT_STREAMLIT = ("model", "intake", "calibration", "track", "store", "view", "exports")


def product_files() -> list[tuple[str, Path]]:
    files = [("pages", ROOT / "app.py"), *(("pages", p) for p in sorted((ROOT / "pages").glob("*.py")))]
    for package in PACKAGES:
        files += [(package, p) for p in sorted((ROOT / package).rglob("*.py"))]
    return files


def imports_of(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(module, names imported from it, line) for every absolute import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, (), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, tuple(a.name for a in node.names), node.lineno))
    return found


def public_names(package: str) -> set[str]:
    """The names in a package's ``__all__``, read from its ``__init__.py`` without importing it."""
    init = ROOT / package.replace(".", "/") / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def is_package(dotted: str) -> bool:
    return (ROOT / dotted.replace(".", "/") / "__init__.py").is_file()


@pytest.mark.parametrize("owner, path", product_files(), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_imports_follow_the_chain(owner, path):
    for module, _, line in imports_of(path):
        top = module.split(".")[0]
        if top in PACKAGES and top != owner:
            assert top in ALLOWED[owner], f"{path.relative_to(ROOT)}:{line} ({owner}) may not import {module}"


@pytest.mark.parametrize("owner, path", product_files(), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_other_packages_are_used_through_their_public_names(owner, path):
    """``from model import simulate``, ``from model.operations import erlang_c``, ``from view import charts``:
    a package and a name in its ``__all__``, never a module file of another package."""
    for module, names, line in imports_of(path):
        top = module.split(".")[0]
        if top not in PACKAGES or top == owner:
            continue
        where = f"{path.relative_to(ROOT)}:{line}"
        if is_package(module):
            missing = set(names) - public_names(module)
            assert not missing, f"{where}: {sorted(missing)} not in {module}.__all__"
        else:
            parent, _, leaf = module.rpartition(".")
            assert leaf in public_names(parent), f"{where}: imports the module {module}; use {parent}'s public names"


@pytest.mark.parametrize("package", WITHOUT_STREAMLIT)
def test_only_the_glue_imports_streamlit(package):
    for path in (ROOT / package).rglob("*.py"):
        for module, _, line in imports_of(path):
            assert module.split(".")[0] != "streamlit", f"{path.relative_to(ROOT)}:{line} imports {module}"


def test_every_public_name_exists():
    import importlib

    for package in [p for p in (ROOT.glob("*/**/__init__.py")) if p.parent.name not in ("tests", "bench")]:
        dotted = ".".join(package.parent.relative_to(ROOT).parts)
        if dotted.split(".")[0] not in PACKAGES:
            continue
        loaded = importlib.import_module(dotted)
        for name in public_names(dotted):
            assert hasattr(loaded, name) or is_package(f"{dotted}.{name}") or \
                (ROOT / dotted.replace(".", "/") / f"{name}.py").is_file(), f"{dotted}.__all__ names {name}, which is not there"
