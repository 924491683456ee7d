"""Sentences, title phrases and shorthand: the words a drafted theme is made of."""

import pytest

from harvest.wording import (
    as_sentence,
    candidate_phrases,
    expand_shorthand,
    first_sentence,
    marker_share,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Lack of communication with parents (e.g. letters sent late). Nobody rang.",
            ["Lack of communication with parents (e.g. letters sent late).", "Nobody rang."],
        ),
        (
            "Saw Dr. Khan at 3 p.m. on Friday. He was kind!",
            ["Saw Dr. Khan at 3 p.m. on Friday.", "He was kind!"],
        ),
        ("Forms, letters, reports etc. all late", ["Forms, letters, reports etc. all late"]),
        (
            "Lived at No. 4 then moved. i.e. twice in a year",
            ["Lived at No. 4 then moved.", "i.e. twice in a year"],
        ),
        ("no punctuation at all", ["no punctuation at all"]),
        ("", []),
    ],
)
def test_sentences_are_split_knowing_abbreviations(text, sentences):
    assert split_sentences(text) == sentences


def test_a_long_sentence_is_cut_at_a_word_with_an_ellipsis():
    sentence = first_sentence("word " * 200 + ". Second sentence.")
    assert len(sentence) <= 201
    assert sentence.endswith("…")
    assert first_sentence("One. Two.") == "One."


def test_title_phrases_are_whole_clauses_in_the_notes_words():
    phrases = [p for p, _ in candidate_phrases("Honestly, nobody explained anything to me")]
    assert phrases == ["nobody explained anything to me"]
    # a long clause ends where a phrase ends, never on "the", "of" or "not"
    long = "Waited 14 months for CAMHS by then i was 18 and too old for them"
    assert candidate_phrases(long)[0] == ("Waited 14 months for CAMHS", True)
    assert all(
        p.split()[-1].casefold() not in {"the", "of", "not", "and", "my"}
        for p, _ in candidate_phrases(
            "we asked for the minutes of the meeting and for the report of"
        )
    )
    # nor on a verb that wants what follows it ("felt | like …", "was told | to …")
    for text in (
        "pre birth assessment felt like the outcome was already decided",
        "my worker said that i could not see the report",
    ):
        assert all(
            p.split()[-1].casefold() not in {"felt", "said", "that"}
            for p, _ in candidate_phrases(text)
        ), candidate_phrases(text)
    # a whole clause may end on such a verb; "that" and "as" before a noun are no clause
    for text, phrase in (
        ("we were never told", "we were never told"),
        ("decisions were already made", "decisions were already made"),
        ("that social worker never listened to us", "social worker never listened to us"),
    ):
        assert candidate_phrases(text)[0][0] == phrase
    # a clause that lost its "as" or "that" says something else: no title from it
    assert candidate_phrases("just as you start to trust one they leave") == []
    assert candidate_phrases("that was the hardest part") == []
    # nor inside "word for word" or "line by line"
    for text in (
        "this is exactly what happened to me word for word at the meeting last week",
        "my advocate read every report with me line by line before each meeting",
    ):
        assert all(
            p.split()[-1].casefold() not in {"word", "line"} for p, _ in candidate_phrases(text)
        ), candidate_phrases(text)
    # hyphenated words stay whole; markers never become words of a title
    assert candidate_phrases("co-production with parents from the start")[0][0].startswith(
        "co-production"
    )
    assert not any("[" in p for p, _ in candidate_phrases("call [name] on [phone] about contact"))


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("will the review actually do anything with this", "?"),
        ("does anyone know if the SGO allowance stops at 18", "?"),
        ("how do you appeal", "?"),
        ("What happened next was shocking", "."),
        ("When the social worker came she did not listen", "."),
        ("Do the right thing by families", "."),
        ("did the drug tests all clear", "."),
        ("support i.e. someone to talk to", "."),
    ],
)
def test_a_note_as_a_sentence_asks_only_when_it_asks(text, mark):
    assert as_sentence(text) == text[0].upper() + text[1:] + mark


def test_a_note_as_a_sentence_says_i_for_i():
    assert as_sentence("i was told i couldnt, so was i") == "I was told I couldnt, so was I."


def test_shorthand_is_spelled_out_for_the_model_only():
    assert expand_shorthand("SW said the LA would call, FGC next") == (
        "social worker said the local authority would call, family group conference next"
    )
    assert expand_shorthand("SWAN and SWs") == "SWAN and social workers"


def test_marker_share_and_sentences_of_a_narrative():
    assert marker_share("Call me on [phone] [name] [redacted]") == pytest.approx(0.5)
    assert marker_share("no markers here") == 0
    assert as_sentence("sw never listened") == "Sw never listened."
    assert as_sentence("Nobody rang!") == "Nobody rang!"
