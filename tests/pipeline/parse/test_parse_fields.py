"""The parse stage on postings outside software: the obvious skills are found, and the words
that merely look like skills ("Logistics" in a company name, "a new initiative") are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.parse import parse_posting

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "postings"
ACCOUNTANT = """Staff Accountant
Northwind Logistics - Chicago, IL

About Northwind Logistics
We are a family-owned freight company launching a new initiative to modernise our finances.

Responsibilities
- Prepare month-end close and journal entries in the general ledger
- Perform bank reconciliations and balance sheet reconciliations
- Process accounts payable and accounts receivable
- Support the annual audit and tax returns

Requirements
- Bachelor's degree in Accounting; CPA preferred
- 2+ years of experience with US GAAP
- Hands-on experience with QuickBooks or NetSuite; SAP is a plus
- Advanced Excel (pivot tables)
- Strong attention to detail
"""

SALES = """Account Executive (B2B SaaS)

What you'll do
- Own a full sales cycle from prospecting and cold calling to close
- Build and manage your pipeline in Salesforce; keep the CRM up to date
- Run discovery calls and consultative selling with mid-market buyers
- Partner with marketing on lead generation campaigns in HubSpot

What you bring
- 3+ years of B2B sales experience with a track record of quota attainment
- Excellent negotiation and communication skills
- Valid driver's license; travel up to 25%
"""

NURSE = """Registered Nurse - ICU
Requirements:
- Active RN license in the state of Texas
- BLS and ACLS certification required; PALS a plus
- Experience with Epic or Cerner electronic medical records
- Patient assessment, medication administration and IV therapy
- Knowledge of HIPAA and infection control
"""

WAREHOUSE = """Warehouse Associate - 2nd shift
Responsibilities:
- Operate a forklift and pallet jack to load and unload trucks
- Pick and pack orders using RF scanners and our WMS
- Perform cycle counts and keep the area safe per OSHA standards
Requirements:
- Forklift certification (or willingness to obtain within 30 days)
- Able to lift 50 lbs; high school diploma or GED
- Hands-on, reliable and punctual
"""


def names(text: str) -> set[str]:
    return {s.name for s in parse_posting(text).skills()}


@pytest.mark.parametrize(
    ("posting", "wanted", "unwanted"),
    [
        (ACCOUNTANT,
         {"Certified Public Accountant (CPA)", "GAAP", "QuickBooks", "NetSuite", "SAP", "Excel",
          "Account reconciliation", "Month-end close", "General ledger", "Accounts payable",
          "Accounts receivable", "Pivot tables", "Accounting", "attention to detail"},
         {"Logistics", "Supply chain management", "initiative"}),
        (SALES,
         {"Salesforce", "CRM", "HubSpot", "Cold calling", "Prospecting", "Solution selling",
          "Lead generation", "Pipeline management", "Sales", "negotiation", "communication",
          "Driver's licence"},
         set()),
        (NURSE,
         {"Registered Nurse (RN)", "Basic Life Support (BLS)",
          "Advanced Cardiovascular Life Support (ACLS)", "Pediatric Advanced Life Support (PALS)",
          "Epic", "Cerner", "Electronic health records", "Patient assessment",
          "Medication administration", "IV therapy", "HIPAA", "Infection control",
          "Critical care"},
         set()),
        (WAREHOUSE,
         {"Forklift operation", "Forklift certification", "Pallet jack", "Order picking",
          "RF scanners", "Warehouse management systems", "Inventory management", "OSHA",
          "reliability"},
         {"initiative"}),
    ],
    ids=["accountant", "sales", "nurse", "warehouse"],
)
def test_field_postings(posting: str, wanted: set[str], unwanted: set[str]) -> None:
    found = names(posting)
    assert wanted <= found, sorted(wanted - found)
    assert not unwanted & found, sorted(unwanted & found)


def test_example_nurse_posting() -> None:
    text = (EXAMPLES / "registered-nurse.txt").read_text(encoding="utf-8")
    found = names(text)
    assert {"Registered Nurse (RN)", "Basic Life Support (BLS)", "Epic", "Patient assessment",
            "Advanced Cardiovascular Life Support (ACLS)", "Medication administration",
            "Wound care", "IV therapy"} <= found


def test_common_words_are_not_skills() -> None:
    text = ("We hire for a new initiative at Acme Logistics. The role is hands-on and "
            "independent; the company is creative and our systems are reliable and resilient.")
    assert names(text) == set()


def test_teacher_and_construction_postings() -> None:
    teacher = ("Science Teacher\nQualifications:\n- Valid state teaching certificate\n"
               "- Lesson plans, classroom management and differentiated instruction\n"
               "- Experience with Google Classroom and Canvas\n")
    assert {"Teaching licence", "Lesson planning", "Classroom management",
            "Differentiated instruction", "Google Classroom", "Canvas LMS"} <= names(teacher)
    builder = ("Project Manager (Construction)\n- Schedules in Primavera P6 or Microsoft Project\n"
               "- PMP certification required; OSHA 30 a plus\n- Read blueprints; AutoCAD\n")
    assert {"Primavera P6", "Microsoft Project", "Project Management Professional (PMP)", "OSHA",
            "Blueprint reading", "AutoCAD"} <= names(builder)
