"""Sentence splitting: abbreviations, acronyms, line breaks, exact offsets."""

from __future__ import annotations

from truce.extract.sentences import MAX_SENTENCE_CHARS, split_sentences


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "Dr. Haddad met Gen. Aoun on Nov. 12 in St. Elias church. "
        "The U.S. envoy arrived later. It was calm."
    )
    assert texts(text) == [
        "Dr. Haddad met Gen. Aoun on Nov. 12 in St. Elias church.",
        "The U.S. envoy arrived later.",
        "It was calm.",
    ]


def test_dotted_acronym_ends_a_sentence_before_a_sentence_starter() -> None:
    text = "Talks were held in the U.S. The delegation then left."
    assert texts(text) == ["Talks were held in the U.S.", "The delegation then left."]


def test_line_breaks_end_sentences_and_count_paragraphs() -> None:
    text = "Headline without a stop\n\nFirst line. Second one!\nThird? yes it is."
    found = split_sentences(text)
    assert [text[s.start : s.end] for s in found] == [
        "Headline without a stop",
        "First line.",
        "Second one!",
        "Third? yes it is.",
    ]
    assert [s.paragraph for s in found] == [0, 1, 1, 2]


def test_offsets_slice_the_original_text_exactly() -> None:
    text = "  \u201cWe will respond,\u201d he said.  Another sentence follows.\r\nLast line "
    for sentence in split_sentences(text):
        piece = text[sentence.start : sentence.end]
        assert piece == piece.strip()
        assert piece
    assert texts(text)[0] == "\u201cWe will respond,\u201d he said."


def test_over_long_runs_are_cut_at_spaces() -> None:
    text = " ".join(["word"] * 2000)
    found = split_sentences(text)
    assert len(found) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in found)
    assert " ".join(texts(text)) == text


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n") == []
