"""The parse stage's copy of spaCy's English stop words is spaCy's list, word for word."""

import pytest

from pipeline.parse.stop_words import STOP_WORDS


def test_the_copy_is_spacys_list() -> None:
    stop_words = pytest.importorskip("spacy.lang.en.stop_words",
                                     reason="spaCy (a dev dependency) is not installed")
    assert stop_words.STOP_WORDS == STOP_WORDS
