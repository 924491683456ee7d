"""Regression tests for probes that once got through (issue 15): each failed before its fix."""

import pytest

from reports.renderers.structured import safe_cell
from tests.cafes.test_consumers import frames_until, join, room  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

NESTED = "[" * 1000 + "]" * 1000  # about 2 KB: past json's recursion limit


@pytest.mark.parametrize(
    "raw",
    [NESTED, '{"type": "note.post", "text": ' + NESTED + "}", "{" + '"a":{' * 1200 + "}" * 1201],
)
async def test_deeply_nested_json_is_malformed_and_the_socket_stays_open(room, raw):  # noqa: F811
    communicator = await join(room, room.at(0)[0])
    await communicator.send_to(text_data=raw)
    error = (await frames_until(communicator, "error"))[-1]
    assert error["code"] in {"malformed", "too_large"}
    await communicator.send_json_to({"type": "ping"})
    assert (await frames_until(communicator, "pong"))[-1]["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "cell",
    [
        '\ufeff=HYPERLINK("http://x")',
        "\u200b+1+1",
        " -2+3",
        "\u00a0@SUM(A1)",
        "=1+1",
        "\tcmd",
    ],
)
def test_a_csv_cell_whose_first_visible_character_starts_a_formula_is_prefixed(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["I <3 my kids", "SW said no", "", "a = b", "£5 - not enough"])
def test_ordinary_cells_are_left_as_they_are(cell):
    assert safe_cell(cell) == cell
