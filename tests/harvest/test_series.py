"""The series view's links between groups' themes (``harvest.series``): by what the notes
mean, never by equal titles, never within one group, the same every time; and theme keys
that survive a rename and never confuse two themes of one title."""

import pytest

from harvest import series as harvest_series
from harvest.content import HarvestNote, HarvestTheme
from harvest.series import series_columns, theme_key
from harvest.services import rename_theme
from tests.harvest.series_cases import make_series_case

pytestmark = pytest.mark.django_db

needs_model = pytest.mark.skipif(
    not harvest_series.embeddings.available(), reason="the sentence model is not installed"
)


def links(columns) -> set[tuple[str, str, str, str]]:
    return {
        (column.group[:5], theme.title, other.column[:5], other.title)
        for column in columns
        for theme in column.themes
        for other in theme.recurs_in
    }


@pytest.fixture
def case():
    return make_series_case()


@needs_model
def test_equal_titles_alone_never_link_two_groups_themes(case):
    found = links(series_columns(series=case.series))
    assert ("Birth", "Allowance", "Kinsh", "Allowance") not in found
    assert ("Kinsh", "Allowance", "Birth", "Allowance") not in found
    assert not any(
        "Carers and evenings" in (theme, other) and "Allowance" in (theme, other)
        for _g, theme, _o, other in found
    )


@needs_model
def test_themes_that_say_the_same_in_different_words_are_linked_both_ways(case):
    found = links(series_columns(series=case.series))
    assert ("Birth", "Meetings", "Kinsh", "Reviews") in found
    assert ("Kinsh", "Reviews", "Birth", "Meetings") in found


@pytest.mark.parametrize("model", [True, False], ids=["sentence model", "lexical"])
def test_a_groups_own_themes_are_never_linked_and_links_are_the_same_every_time(
    case, model, monkeypatch
):
    if model and not harvest_series.embeddings.available():
        pytest.skip("the sentence model is not installed")
    monkeypatch.setattr(harvest_series.embeddings, "available", lambda: model)
    columns = series_columns(series=case.series)
    for column in columns:
        for theme in column.themes:
            assert all(other.column != column.group for other in theme.recurs_in)
    assert links(columns) == links(series_columns(series=case.series))


def test_without_the_model_titles_are_left_out_so_equal_titles_never_link(case, monkeypatch):
    monkeypatch.setattr(harvest_series.embeddings, "available", lambda: False)
    found = links(series_columns(series=case.series))
    assert not any(theme == other for _g, theme, _o, other in found), found


def test_a_series_with_one_group_links_nothing(db):
    case = make_series_case()
    case.carers.delete()
    [column] = series_columns(series=case.series)
    assert not any(theme.recurs_in for theme in column.themes)


def test_a_theme_keeps_its_key_when_renamed_and_equal_titles_get_different_keys(case):
    before = {t.key for c in series_columns(series=case.series) for t in c.themes}
    allowance = case.themes[("bp", "Allowance")]
    rename_theme(theme=allowance, title="Contact rules", user=None)
    after = [t for c in series_columns(series=case.series) for t in c.themes]
    renamed = next(t for t in after if t.title == "Contact rules")
    assert renamed.key == f"{case.parents.pk}-t{allowance.pk}"
    assert len({t.key for t in after}) == len(after)
    assert {t.key for t in after} == before


def draft(title: str, note_ids: list[int]) -> HarvestTheme:
    notes = [HarvestNote(id=i, text=f"note {i}", role="BP", table="Table 1", round=1, kind="story")
             for i in note_ids]  # fmt: skip
    return HarvestTheme(
        title=title, summary="", kind="notes", round=1, key=False, emerging=False,
        position=0, curated=False, notes=notes,
    )  # fmt: skip


def test_two_draft_themes_of_one_title_in_one_round_have_different_keys():
    first, second = draft("Allowance", [1, 2, 3]), draft("Allowance", [4, 5])
    assert theme_key(7, first) != theme_key(7, second)
    assert theme_key(7, first) == theme_key(7, draft("Renamed", [3, 2, 1]))
