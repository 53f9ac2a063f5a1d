"""Acronyms a posting defines in passing, and the forms each side gives the other."""

from __future__ import annotations

import pytest

from pipeline.parse.acronyms import defined_forms


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("Plan and run account-based marketing (ABM) campaigns", "ABM", "account-based marketing"),
        ("Chart in Electronic Health Records (EHRs) daily", "EHRs", "Electronic Health Records"),
        ("A clearance from the Department of Defense (DoD)", "DoD", "Department of Defense"),
        ("Own SEO (search engine optimization) for the blog", "SEO", "search engine optimization"),
        ("Track KPIs (key performance indicators) weekly", "KPIs", "key performance indicators"),
    ],
)
def test_a_definition_names_each_form_by_the_other(text: str, short: str, long: str) -> None:
    forms = defined_forms(text)
    assert forms[short.lower()] == [long]
    assert forms[long.lower()] == [short]


@pytest.mark.parametrize(
    "text",
    [
        "Bachelor (BA) in a related field",  # "Bachelor" gives one letter of two
        "Deploy on Kubernetes (K8s) clusters",  # one capital: not an acronym
        "Campaigns for named accounts (ABM) only",  # the words before do not spell it
        "Use our tools (see the wiki)",
    ],
)
def test_no_definition_without_an_acronym_spelled_by_its_words(text: str) -> None:
    assert defined_forms(text) == {}
