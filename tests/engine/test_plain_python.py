import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "workup" / "engine"


def test_the_engine_imports_nothing_from_django_or_the_rest_of_the_project():
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert not name.startswith(("django", "workup", "celery")), f"{path.name}: {name}"
