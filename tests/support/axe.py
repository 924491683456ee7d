"""Run axe-core (bundled by the axe-playwright-python package, so offline) on a page."""

from axe_playwright_python.sync_playwright import Axe

# Every rule axe runs by default (WCAG 2.0-2.2 A and AA and best practices); none is turned
# off here.
_axe = Axe()
TARGETS_SHOWN = 3


def axe_violations(page) -> list[dict]:
    """The violations axe finds on the page as it is now."""
    return _axe.run(page).response["violations"]


def describe(violation: dict) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"]]
    more = len(targets) - TARGETS_SHOWN
    shown = "; ".join(targets[:TARGETS_SHOWN]) + (f"; and {more} more" if more > 0 else "")
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {shown}"


def assert_no_axe_violations(page, name: str) -> None:
    """Fail listing each violation: its rule, impact, what it means and where."""
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violations on {name} ({page.url}):\n" + (
        "\n".join(f"- {describe(v)}" for v in violations)
    )
