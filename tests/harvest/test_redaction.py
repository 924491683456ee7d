"""Redaction of personal data, kind by kind, and what must never be redacted."""

import pytest

from harvest.redaction import redact

ROSTER = ["Sarah Jones", "Robin3", "Will", "Hope", "Marek", "Grace"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to sarah.jones@example.org today", "Write to [email] today"),
        ("Mail J.O'Neil+care@council.gov.uk.", "Mail [email]."),
        ("Ring 07700 900123 after six", "Ring [phone] after six"),
        ("Ring 07700900123", "Ring [phone]"),
        ("Ring +44 7700 900123", "Ring [phone]"),
        ("Ring +44 (0)20 7946 0958", "Ring [phone]"),
        ("Office 020 7946 0958.", "Office [phone]."),
        ("Office (01632) 960 001.", "Office [phone]."),
        ("US line +1 555 123 4567", "US line [phone]"),
        ("Paris +33 1 23 45 67 89", "Paris [phone]"),
        ("Near SW1A 1AA, London", "Near [postcode], London"),
        ("postcode m1 1ae", "postcode [postcode]"),
        ("We lived at 12 Acacia Avenue.", "We lived at [address]."),
        ("Flat 3, 5 High St is cold", "[address] is cold"),
        ("moved to 7 station road last year", "moved to [address] last year"),
    ],
)
def test_each_kind_of_personal_data_is_replaced_by_its_marker(text, expected):
    assert redact(text, names=ROSTER).text == expected


@pytest.mark.parametrize(
    "written", ["Sarah", "sarah", "SARAH", "Jones", "robin3", "ROBIN3", "Marek"]
)
def test_roster_names_are_redacted_in_any_case(written):
    assert redact(f"I told {written} about it", names=ROSTER).text == "I told [name] about it"


def test_names_are_matched_as_whole_words_only():
    text = "Sarahs and Robinson and Mareka were not on the roster"
    assert redact(text, names=ROSTER).text == text


@pytest.mark.parametrize(
    "text",
    [
        "I will ask again. We hope it gets better.",
        "Will you listen to us?",  # capital at a sentence start says nothing
        "There is hope. Grace period is over.",
        "By grace of God we kept going",
        "In 2019 2020 we went to 10 meetings for 3 kids",
        "It was a 2 hour drive and 3 kids down the road",
        "About 1 000 000 families, 20 per cent of them",
        "Section 47 enquiry on 12/03/2021",
    ],
)
def test_ordinary_words_numbers_and_dates_are_not_redacted(text):
    assert redact(text, names=ROSTER).text == text


def test_names_that_are_common_words_are_redacted_when_capitalised_mid_sentence():
    text = "My worker Will said that Hope and GRACE were kind"
    assert (
        redact(text, names=ROSTER).text == "My worker [name] said that [name] and [name] were kind"
    )


def test_spans_say_what_was_redacted_where():
    text = "Sarah: 07700 900123"
    redacted = redact(text, names=ROSTER)
    assert [(text[s.start : s.end], s.kind) for s in redacted.spans] == [
        ("Sarah", "name"),
        ("07700 900123", "phone"),
    ]
    assert redacted.kinds == ["name", "phone"]


def test_manual_phrases_are_redacted_in_any_case_and_win_over_automatic_markers():
    redacted = redact(
        "We saw Dr Patel at Riverside Clinic", phrases=["dr patel", "Riverside Clinic"]
    )
    assert redacted.text == "We saw [redacted] at [redacted]"


def test_an_email_holding_a_roster_name_is_one_email():
    assert redact("sarah@example.org", names=ROSTER).text == "[email]"
