"""The layout rules of docs/architecture.md, checked on the source."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package):
    """``{module: {imported module, ...}}`` for every Python file of ``package``."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[module] = names
    return found


def test_partnerships_and_motives_import_nothing_from_sessions():
    for package in ("partnerships", "motives"):
        for module, names in imported_modules(package).items():
            leaks = sorted(name for name in names if name.split(".")[0] == "sessions")
            assert not leaks, f"{module} imports {leaks}"


def test_project_helpers_import_no_app_except_the_root_urls():
    for module, names in imported_modules("sms_tool").items():
        if module == "sms_tool.urls":
            continue
        apps = sorted(
            n for n in names if n.split(".")[0] in {"sessions", "partnerships", "motives"}
        )
        assert not apps, f"{module} imports {apps}"


def test_only_the_url_configuration_imports_views():
    for package in ("sessions", "partnerships", "motives", "sms_tool"):
        for module, names in imported_modules(package).items():
            if module.endswith(".urls") or module == "sms_tool.urls":
                continue
            own_room = module.rsplit(".", 1)[0]
            foreign_views = sorted(
                name
                for name in names
                if (name.endswith(".views") or ".views." in name)
                and not name.startswith(own_room + ".views")
                and name.split(".")[0] in {"sessions", "partnerships", "motives"}
            )
            assert not foreign_views, f"{module} imports {foreign_views}"


def test_the_policy_imports_no_room():
    rooms = {p.name for p in (ROOT / "sessions").iterdir() if (p / "__init__.py").exists()}
    rooms -= {"policy", "migrations", "management"}
    for module, names in imported_modules("sessions/policy").items():
        used = sorted({n.split(".")[1] for n in names if n.startswith("sessions.")} & rooms)
        assert not used, f"{module} imports the rooms {used}"


def test_sessions_has_at_most_eight_top_level_modules():
    modules = sorted(p.name for p in (ROOT / "sessions").glob("*.py"))
    assert len(modules) <= 8, modules
