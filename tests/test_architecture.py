"""The apps point one way (docs/architecture.md): demo → publishing → review → essays →
sources → spreadsheets → common, and the importer's pure half uses no Django. import-linter
checks the contracts in pyproject.toml over every import statement in the code, the ones
inside functions included (the essays ↔ review loop used to hide behind those)."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )


def contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_no_app_imports_an_app_above_it():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout


def test_every_app_of_the_project_has_its_layer():
    """A new app cannot slip past the direction check by being left out of it."""
    [layers] = [c["layers"] for c in contracts() if c["type"] == "layers"]
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    assert ours and set(ours) <= set(layers)
    assert (ROOT / "common").is_dir() and "common" in layers


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    """The check sees imports that run late: one hidden in a function is still an arrow."""
    (tmp_path / "upper").mkdir()
    (tmp_path / "upper" / "__init__.py").write_text("import lower\n")
    (tmp_path / "lower").mkdir()
    (tmp_path / "lower" / "__init__.py").write_text(
        "def late():\n    import upper  # upward, out of sight of a top-level scan\n\n"
        "    return upper\n"
    )
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    upper\n    lower\n\n"
        "[importlinter:contract:one-way]\nname = One way\ntype = layers\n"
        "layers =\n    upper\n    lower\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "lower -> upper (l.2)" in result.stdout
