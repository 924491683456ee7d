"""The words of a harvest: sentences, candidate title phrases and the domain's shorthand.

Pure functions over already-redacted texts. Used by theming to draft titles and summaries
in the participants' own words, and by reports to split text into sentences.
"""

import re

MARKER = re.compile(r"\[(?:email|phone|postcode|address|name|redacted)\]")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
SUMMARY_SENTENCE_MAX_CHARS = 200
TITLE_MIN_WORDS, TITLE_MAX_WORDS = 3, 8

# Words that end a sentence only in appearance: "e.g. a letter", "Dr. Khan", "No. 4".
_NOT_AN_END = (
    "e.g", "i.e", "etc", "eg", "ie", "mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "approx",
    "incl", "esp", "cf", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "prof", "rev", "fig", "p", "pp", "ref", "tel",
)  # fmt: skip
_SENTENCE_END = re.compile(r"([.!?\u2026]+[\"'\u201d\u2019)]*)(\s+)")

# Shorthand in children's social care, spelled out before a note is embedded (the model
# never learnt that "SW" is a social worker); the notes themselves are never changed.
GLOSSARY = {
    "SW": "social worker", "SWs": "social workers", "sw": "social worker",
    "sws": "social workers", "LA": "local authority", "LAs": "local authorities",
    "CP": "child protection", "CIN": "child in need", "CiN": "child in need",
    "PLO": "pre-proceedings meeting", "IRO": "independent reviewing officer",
    "FGC": "family group conference", "FGCs": "family group conferences",
    "fgc": "family group conference", "SGO": "special guardianship order",
    "CAMHS": "child and adolescent mental health services", "camhs": "child mental health",
    "PA": "personal adviser", "EHCP": "education health and care plan",
    "DV": "domestic violence", "DA": "domestic abuse", "MH": "mental health",
    "CSC": "children's social care", "LAC": "looked after children",
    "CLA": "children looked after", "YP": "young people", "CEYP": "care experienced young people",
    "FC": "foster carer", "FCs": "foster carers", "KC": "kinship carer", "BP": "birth parent",
    "BPs": "birth parents", "GP": "doctor", "ASD": "autism", "LD": "learning disability",
    "DWP": "benefits", "UC": "universal credit", "CAFCASS": "children's guardian",
    "Cafcass": "children's guardian", "EH": "early help", "TAF": "team around the family",
    "ICPC": "child protection conference", "RCPC": "child protection review conference",
}  # fmt: skip
_GLOSSARY = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, GLOSSARY)) + r")(?![\w'])")

# Openings that carry no meaning in a title: "Honestly, …", "Someone at our table said …".
_LEAD_IN = re.compile(
    r"^(?:(?:honestly|tbh|to be honest|for me|personally|i think|i feel|i felt|i guess|"
    r"someone at (?:our|my) table said|at our table|we said|we felt|we agreed|"
    r"and|but|so|also|plus|then|because|cos|like|well|yeah|yes|ok|okay|oh|just)"
    r"\b[\s,:;-]*)+",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[.!?\u2026;:()\[\]\"\u201c\u201d]+|,\s|\s[-\u2013\u2014]\s|\s(?:but|because|cos|so that)\s"
)


# Words a title may not start or end on ("the", "of", "and", "my" …).
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DANGLING_TEXT = """a an the and or but so of to in on at for with by from as that which who whom
this these those my our your their his her its is are was were be been being am do does did
have has had not no if then than when while because cos into about over under up out just very
really also too me us them it i we you they he she i'm im ive i've"""
_DANGLING = _word_set(_DANGLING_TEXT)


def expand_shorthand(text: str) -> str:
    """The text with the domain's shorthand spelled out, for the embedding model only."""
    return _GLOSSARY.sub(lambda m: GLOSSARY[m.group(1)], text)


def words(text: str) -> list[str]:
    return WORD.findall(MARKER.sub(" ", text))


def marker_share(text: str) -> float:
    """How much of a text is redaction markers, by words: "Call me on [phone] [name]" 0.5."""
    markers = len(MARKER.findall(text))
    total = markers + len(words(text))
    return markers / total if total else 0.0


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, knowing that "e.g.", "Dr." and "No. 4" do not end one."""
    text = " ".join(text.split())
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(" ", 1)[-1].casefold().strip(".([\"'")
        if match.group(1).startswith(".") and (
            before in _NOT_AN_END or re.fullmatch(r"(?:[a-z]\.)*[a-z]", before)
        ):
            continue
        out.append(text[start : match.end(1)].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def shorten(sentence: str, limit: int = SUMMARY_SENTENCE_MAX_CHARS) -> str:
    """``sentence`` cut at a word boundary with "…" when longer than ``limit``."""
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:- ") + "…"


def first_sentence(text: str, limit: int = SUMMARY_SENTENCE_MAX_CHARS) -> str:
    """The text's first sentence, cut at a word boundary if it is longer than ``limit``."""
    sentences = split_sentences(text)
    return shorten(sentences[0] if sentences else text.strip(), limit)


# A question a note did not mark: "Will the review …", "Does anyone know …", "How do you
# appeal" (a wh-word with an auxiliary after it, or an auxiliary with its subject). Not "What
# happened next was shocking", "When the social worker came …", "Do the right thing", nor
# "Did every course they asked" (notes often drop the "I").
_QUESTION_START = re.compile(
    r"(?:(?:what|how|why|who|where|when|which)\s+(?:is|are|was|were|do|does|did|can|could|"
    r"will|would|should|has|have)\s"
    r"|how come\b"
    r"|(?:is|are|will|would|can|could|should|does|isnt|arent|wont|doesnt)\s+"
    r"(?:there|it|anyone|anybody|someone|somebody|the|they|we|you|i|he|she)\b)",
    re.IGNORECASE,
)


# The pronoun "i" as typed ("i was told", "so was i", "i'm"), not the "i" of "i.e.".
_PRONOUN_I = re.compile(r"(?<![\w'\u2019.])i(?=$|[\s'\u2019,!?;:]|\.(?!\w))")


def as_sentence(text: str) -> str:
    """A note's words as a sentence of a narrative: a capital first letter, the pronoun "i"
    as "I", and a full stop where the note had no closing punctuation, or a question mark
    where it asks ("Will the review actually do anything with this?"). The words are not
    otherwise changed."""
    text = " ".join(text.split()).strip()
    if not text:
        return text
    text = _PRONOUN_I.sub("I", text)
    text = text[0].upper() + text[1:]
    if text[-1] in '.!?…"”)':
        return text
    return text + ("?" if _QUESTION_START.match(text) else ".")


def title_case(phrase: str) -> str:
    """A phrase as a title: first letter capitalised, the pronoun "i" as "I"."""
    phrase = _PRONOUN_I.sub("I", phrase)
    return phrase[:1].upper() + phrase[1:]


# A title does not start on these ("the", "and", "as" …) nor end on these ("of", "my" …).
_NO_START = _word_set(
    "a an the and or but so as of to in on at for with by from that which then than when "
    "while because cos just also too very really"
)
# nor on a verb that wants what follows it: "Pre birth assessment felt | like …"
_WANTS_MORE = _word_set(
    "going felt feel feels seemed seem seems looked sounded became become made make makes "
    "said says told treated called gave give gives got get gets want wants wanted need needs "
    "needed tried try thought went kept keep let"
)
_NO_END = (_DANGLING - {"me", "us", "them", "it", "you", "up", "out", "over"}) | {
    "x",  # a kiss ending a message: "so sorry you went through that x"
    "xx",
    "xxx",
}
# Where a clause is cut short, nor on a verb that wants what followed it ("felt | like");
# a whole clause may end on one ("we were never told").
_NO_END_CUT = _NO_END | _WANTS_MORE
# A clause opening on one of these depends on another: without it, it says something else
# ("when | they took him …"); so does one on "as" or "that" before its subject or verb ("just
# as | you start to trust one they leave", "that | was the hardest part"), but not "that
# social worker never listened", "as a parent i felt ignored".
_SUBORDINATE = _word_set("when while because cos which than if")
_CLAUSE_AFTER = _word_set(
    "i im i'm ive i've you we they he she it its it's there was were is are had has have "
    "soon long much well far"
)
# Words before which a long clause can end naturally: "Waited 14 months for CAMHS | by …".
_BREAK_BEFORE = _word_set(
    "in on at by for to with and but or so because cos when while after before until if "
    "as then which who where like about from since"
)


def _idiom_at(tokens: list[str], end: int) -> bool:
    """Whether a break before ``tokens[end]`` would cut "word | for word", "line | by line",
    "locum | after locum": the same word on both sides of it."""
    after = tokens[end + 1].casefold() if end + 1 < len(tokens) else ""
    return after == tokens[end - 1].casefold().strip(".,!?")


def candidate_phrases(text: str) -> list[tuple[str, bool]]:
    """Phrases of 3-8 words from ``text`` that could title a theme, in the text's own
    words: its clauses, without lead-ins ("honestly, …") or redaction markers, neither
    starting nor ending on a word like "the" or "of". Each comes with whether it is the
    whole clause (True) or its first words only (False)."""
    out = []
    for clause in _CLAUSE_BREAK.split(MARKER.sub(" ", text)):
        clause = _LEAD_IN.sub("", " ".join(clause.split()).strip(" ,-\u2013\u2014'\u2019"))
        tokens = [t.strip(",'\u2019") for t in clause.split()]
        tokens = [t for t in tokens if t and any(c.isalnum() for c in t)]
        stripped = set()
        while tokens and tokens[0].casefold() in _NO_START:
            stripped.add(tokens.pop(0).casefold())
        opens_clause = bool(tokens) and tokens[0].casefold() in _CLAUSE_AFTER
        if stripped & _SUBORDINATE or (stripped & {"as", "that"} and opens_clause):
            continue  # "just as | you start to trust one they leave" says something else
        full = len(tokens)
        whole = full <= TITLE_MAX_WORDS
        if not whole:
            # The longest opening of the clause that ends where a phrase ends.
            ends = [
                end
                for end in range(TITLE_MAX_WORDS, TITLE_MIN_WORDS - 1, -1)
                if tokens[end].casefold() in _BREAK_BEFORE
                and tokens[end - 1].casefold().strip(".,!?") not in _NO_END_CUT
                and not _idiom_at(tokens, end)
            ]
            if ends:
                tokens, whole = tokens[: ends[0]], True
        tokens = tokens[:TITLE_MAX_WORDS]
        cut = len(tokens) < full
        while tokens and tokens[-1].casefold().strip(".,!?") in (_NO_END_CUT if cut else _NO_END):
            tokens.pop()
            whole, cut = False, True
        if len(tokens) < TITLE_MIN_WORDS:
            continue
        phrase = " ".join(tokens).rstrip(".,;:!?")
        if sum(1 for t in tokens if t.casefold() not in _DANGLING) >= 2:
            out.append((phrase, whole))
    return out
