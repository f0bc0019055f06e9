from pathlib import Path

from matchmaker.hubs.csv_file import COLUMN_NAMES
from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES, DEFAULT_SERVICE_CATEGORIES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_readme_documents_every_csv_column_and_taxonomy_slug() -> None:
    for column in COLUMN_NAMES:
        assert f"| `{column}` |" in README, column
    for slug, _name in (*DEFAULT_DISCIPLINES, *DEFAULT_SERVICE_CATEGORIES):
        assert f"`{slug}`" in README, slug


def test_the_readme_names_the_two_commands_and_the_demo_accounts() -> None:
    assert "make run" in README and "make test" in README
    for email in ("manager1@example.org", "coordinator@example.org", "matchmaker-demo"):
        assert email in README


def test_the_readme_maps_every_package_of_the_code() -> None:
    root = Path(__file__).resolve().parents[1] / "matchmaker"
    packages = [
        path.parent.relative_to(root.parent).as_posix()
        for path in root.rglob("__init__.py")
        if "migrations" not in path.parts and path.parent.parent == root
    ]
    for package in packages:
        assert f"`{package}/`" in README, package
