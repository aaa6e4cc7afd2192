"""The layers of the code (README «Layout»): each module imports only its own part and the layers
below it. Every module of the product is read, function-level imports included, so a new module
or a new app is checked without editing this test; a new app sits at the top of the apps until
APP_LAYERS places it lower.

    project and public pages  csam_portal: settings, urls, celery, admin, load_demo; public/
    senders, mandates
    access_managers
    enterprises
    users
    core                      csam_portal/core/, csam_portal/models.py (and its migrations),
                              csam_portal/templatetags/
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Bottom to top: an app imports the core and the apps of the layers below its own.
APP_LAYERS = {"users": 1, "enterprises": 2, "access_managers": 3, "senders": 4, "mandates": 4}
CORE_LAYER, PROJECT_LAYER = 0, 100
# The parts of the csam_portal package that belong to the core besides csam_portal/core/: the
# rows the core writes and the one template-tag library. The rest is the project.
CORE_MODULES = (
    "csam_portal.core",
    "csam_portal.models",
    "csam_portal.migrations",
    "csam_portal.templatetags",
)
PROJECT_PACKAGE = "csam_portal"


@dataclass(frozen=True)
class Part:
    """A part of the code that may import itself freely: the core, an app, or the project."""

    name: str
    layer: int

    def __str__(self) -> str:
        return f"{self.name} (layer {self.layer})"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    target: str  # the module it imports


def product_sources() -> dict[str, str]:
    """Module name → source, for every module of the apps in this repository."""
    sources = {}
    for config in apps.get_app_configs():
        root = Path(config.path)
        if root.parent != settings.BASE_DIR:  # Django's own apps and the libraries'
            continue
        for path in root.rglob("*.py"):
            parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            sources[name] = path.read_text()
    return sources


def imports_of(module: str, source: str, known: set[str]) -> list[Import]:
    """What `module` imports from the product, wherever the import stands (a function, an
    `if TYPE_CHECKING:` block): `from package import name` counts as package.name if that is
    a module of the product."""
    is_package = any(other.startswith(module + ".") for other in known)
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append(Import(module, node.lineno, target if target in known else base))
    return list(dict.fromkeys(found))  # `from a import b, c` of one module: said once


def part_of(module: str, apps_here: set[str]) -> Part | None:
    """The part a module belongs to; None for the standard library and the libraries."""
    top = module.split(".")[0]
    if top not in apps_here:
        return None
    if top == PROJECT_PACKAGE:
        if any(module == core or module.startswith(core + ".") for core in CORE_MODULES):
            return Part("core", CORE_LAYER)
        return Part("project", PROJECT_LAYER)
    return Part(top, APP_LAYERS.get(top, max(APP_LAYERS.values())))


def offences(sources: dict[str, str]) -> tuple[list[str], dict[str, set[str]]]:
    """The imports that break the layers, said one a line, and the graph of the parts."""
    known = set(sources)
    apps_here = {name.split(".")[0] for name in known}
    found, graph = [], {}
    for module, source in sorted(sources.items()):
        importer = part_of(module, apps_here)
        for imported in imports_of(module, source, known):
            target = part_of(imported.target, apps_here)
            if target is None or target == importer:
                continue
            graph.setdefault(importer.name, set()).add(target.name)
            if target.layer < importer.layer:
                continue
            why = "the core imports no app" if importer.name == "core" else "not a layer below"
            found.append(
                f"{module}:{imported.line} imports {imported.target}: {importer} → {target}, {why}"
            )
    return found, graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of parts that import each other, directly or through others (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_a_layer_above_its_own():
    found, _graph = offences(product_sources())

    assert not found, "Imports against the layers:\n" + "\n".join(found)


def test_the_apps_import_each_other_without_a_cycle():
    _found, graph = offences(product_sources())

    assert not cycles(graph), f"Parts that import each other: {cycles(graph)}"


def test_every_app_of_the_repository_is_read():
    readable = {module.split(".")[0] for module in product_sources()}

    assert readable >= {PROJECT_PACKAGE, *APP_LAYERS}


# The checker itself, on made-up modules.


def test_an_app_imported_inside_a_function_of_the_core_is_an_offence():
    sources = {
        "csam_portal.core.outbox": "def send():\n    from users.models import User\n",
        "users.models": "",
    }

    found, _graph = offences(sources)

    assert found == [
        "csam_portal.core.outbox:2 imports users.models: core (layer 0) → users (layer 1), "
        "the core imports no app"
    ]


def test_an_app_may_import_the_core_and_the_apps_below_it():
    sources = {
        "access_managers.services": (
            "from csam_portal.core import audit\nfrom enterprises import models\n"
        ),
        "csam_portal.core.audit": "",
        "enterprises.models": "from users.models import Person\n",
        "users.models": "from csam_portal.models import AuditRecord\n",
        "csam_portal.models": "",
    }

    assert offences(sources)[0] == []


def test_a_relative_import_of_a_higher_layer_is_an_offence():
    sources = {
        "csam_portal.core": "",
        "csam_portal.core.health": "from .. import urls\n",
        "csam_portal.urls": "",
    }

    found, _graph = offences(sources)

    assert [line.split(":")[0] for line in found] == ["csam_portal.core.health"]
    assert "core (layer 0) → project (layer 100)" in found[0]


def test_a_new_app_sits_above_the_others_and_its_cycles_are_found():
    sources = {
        "payments.models": "import mandates.models\n",
        "mandates.models": "from payments import models\n",
    }

    found, graph = offences(sources)

    assert len(found) == 2  # payments and mandates share the top layer
    assert cycles(graph) == [["mandates", "payments"]]
