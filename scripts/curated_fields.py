# ruff: noqa: E501  (data tables read better one entry per line)
"""Hand-curated skills outside software: licences, certifications and the domain skills postings
in healthcare, finance, sales, marketing, teaching, the trades, logistics, project management,
HR, law and hospitality ask for. Same line format as curated_skills.HARD:
    Canonical | Category | alias; alias | ExactCase; ExactCase
Aliases are phrases that read as the skill in any context ("medication administration"); a bare
acronym or a word that is also English ("RN", "Epic", "Lean") is listed only in the exact-case
field, so it needs its capitalisation.
"""

from __future__ import annotations

CERTIFICATIONS = """
Registered Nurse (RN) | Certifications & licences | registered nurse; registered nurses; rn license; rn licence; rn licensure; registered nurse license; registered nurse licence; registered nursing license | RN; RNs
Licensed Practical Nurse (LPN) | Certifications & licences | licensed practical nurse; licensed vocational nurse | LPN; LVN
Certified Nursing Assistant (CNA) | Certifications & licences | certified nursing assistant; certified nurse aide; certified nurse assistant | CNA
Basic Life Support (BLS) | Certifications & licences | basic life support; bls certification; bls certified | BLS
Advanced Cardiovascular Life Support (ACLS) | Certifications & licences | advanced cardiovascular life support; advanced cardiac life support; acls certification; acls certified | ACLS
Pediatric Advanced Life Support (PALS) | Certifications & licences | pediatric advanced life support; paediatric advanced life support | PALS
CPR certification | Certifications & licences | cpr; cpr certification; cpr certified; cpr/aed; cardiopulmonary resuscitation |
First aid certification | Certifications & licences | first aid; first-aid; first aid certification; first aid certificate |
Medical-Surgical Nursing Certification (CMSRN) | Certifications & licences | med-surg certification; medical-surgical nursing certification | CMSRN
Critical Care Nursing Certification (CCRN) | Certifications & licences | | CCRN
Bachelor of Science in Nursing (BSN) | Certifications & licences | bachelor of science in nursing | BSN
Associate Degree in Nursing (ADN) | Certifications & licences | associate degree in nursing | ADN
Certified Public Accountant (CPA) | Certifications & licences | certified public accountant; cpa license; cpa licence; cpa certification | CPA
Certified Management Accountant (CMA) | Certifications & licences | certified management accountant | CMA
ACCA | Certifications & licences | | ACCA
Chartered Financial Analyst (CFA) | Certifications & licences | chartered financial analyst; cfa charter; cfa charterholder | CFA
Certified Internal Auditor (CIA) | Certifications & licences | certified internal auditor |
Project Management Professional (PMP) | Certifications & licences | project management professional; pmp certification; pmp certified | PMP
PRINCE2 | Certifications & licences | prince2; prince 2 |
CAPM | Certifications & licences | certified associate in project management | CAPM
Certified ScrumMaster | Certifications & licences | certified scrummaster; certified scrum master; professional scrum master | PSM
ITIL | Certifications & licences | itil; itil v4; itil foundation | ITIL
Six Sigma | Certifications & licences | six sigma; lean six sigma; six sigma green belt; six sigma black belt |
ISO 9001 | Certifications & licences | iso 9001; iso 9001:2015 |
CISSP | Certifications & licences | cissp |
CISM | Certifications & licences | | CISM
Certified Ethical Hacker (CEH) | Certifications & licences | certified ethical hacker | CEH
OSCP | Certifications & licences | oscp |
CompTIA Security+ | Certifications & licences | comptia security+; security+ |
CompTIA A+ | Certifications & licences | comptia a+; a+ certification; a+ certified |
CompTIA Network+ | Certifications & licences | comptia network+; network+ |
CCNA | Certifications & licences | ccna; cisco certified network associate |
CCNP | Certifications & licences | ccnp; cisco certified network professional |
AWS Certification | Certifications & licences | aws certified; aws certification; aws certifications; aws certified solutions architect; aws solutions architect |
Certified Kubernetes Administrator (CKA) | Certifications & licences | certified kubernetes administrator | CKA
SHRM certification | Certifications & licences | shrm-cp; shrm-scp; shrm certified; shrm certification |
Teaching licence | Certifications & licences | teaching license; teaching licence; teaching certificate; teaching certification; teaching credential; teacher certification; teacher certificate; state teaching certification; qualified teacher status | QTS
TEFL | Certifications & licences | tefl; tefl certificate; tefl certification |
TESOL | Certifications & licences | tesol |
CELTA | Certifications & licences | celta |
ASE certification | Certifications & licences | ase certification; ase certified; ase master technician; ase master certified | ASE
EPA 608 certification | Certifications & licences | epa 608; epa section 608; epa 608 certification; epa universal certification |
Journeyman licence | Certifications & licences | journeyman license; journeyman licence; journeyman electrician; journeyman card |
Commercial driver's licence (CDL) | Certifications & licences | commercial driver's license; commercial drivers license; commercial driver’s license; commercial driving licence; class a cdl; cdl class a; cdl-a | CDL
Driver's licence | Certifications & licences | driver's license; drivers license; driver’s license; driving licence; driving license; driver's licence; drivers licence |
Forklift certification | Certifications & licences | forklift certification; forklift certified; forklift license; forklift licence; forklift operator certification |
OSHA | Certifications & licences | osha 10; osha 30; osha-10; osha-30; osha certification; osha regulations; osha standards; osha guidelines | OSHA
ServSafe | Certifications & licences | servsafe; servsafe certification; food handler's card; food handlers card; food handler certificate |
Bar admission | Certifications & licences | bar admission; admitted to the bar; licensed attorney; active bar membership; member of the bar; bar license |
Paralegal certificate | Certifications & licences | paralegal certificate; paralegal certification |
Professional Engineer (PE) licence | Certifications & licences | professional engineer license; professional engineer licence; pe license; pe licence; licensed professional engineer |
"""

DOMAIN = """
Nursing | Healthcare | nursing; nursing care; nursing practice |
Patient care | Healthcare | patient care; direct patient care; bedside care |
Patient assessment | Healthcare | patient assessment; patient assessments; assess patients; assessing patients; nursing assessment; nursing assessments; health assessment; health assessments |
Medication administration | Healthcare | medication administration; administer medications; administering medications; administer medication; administration of medications; medication pass; medication management |
IV therapy | Healthcare | iv therapy; intravenous therapy; iv insertion; iv starts; peripheral iv; iv medications |
Phlebotomy | Healthcare | phlebotomy; venipuncture; blood draws; blood draw; drawing blood |
Wound care | Healthcare | wound care; wound management; wound dressing; wound dressings |
Vital signs monitoring | Healthcare | vital signs; vital sign monitoring; monitoring vital signs; monitor vital signs |
Care planning | Healthcare | care plan; care plans; care planning; nursing care plans; individualised care plans; individualized care plans |
Patient education | Healthcare | patient education; educate patients; patient teaching; patient and family education |
Infection control | Healthcare | infection control; infection prevention; infection prevention and control |
Electronic health records | Healthcare | electronic health records; electronic health record; electronic medical records; electronic medical record; ehr systems; emr systems | EHR; EMR; EHRs; EMRs
Epic | Healthcare | epic emr; epic ehr; epic systems; epic electronic health records | Epic
Cerner | Healthcare | cerner |
Meditech | Healthcare | meditech |
HIPAA | Healthcare | hipaa; hipaa compliance | HIPAA
Medical terminology | Healthcare | medical terminology |
Triage | Healthcare | triage; patient triage |
Acute care | Healthcare | acute care |
Critical care | Healthcare | critical care; intensive care; intensive care unit | ICU
Clinical documentation | Healthcare | clinical documentation; nursing documentation |
Medical coding | Healthcare | medical coding; medical billing; icd-10; icd-10-cm; cpt coding | ICD-10
Pharmacology | Healthcare | pharmacology |
Accounting | Accounting & finance | accounting; financial accounting; cost accounting; management accounting |
Bookkeeping | Accounting & finance | bookkeeping |
GAAP | Accounting & finance | us gaap; u.s. gaap; generally accepted accounting principles | GAAP
IFRS | Accounting & finance | international financial reporting standards | IFRS
QuickBooks | Accounting & finance | quickbooks; quickbooks online; intuit quickbooks |
Xero | Accounting & finance | | Xero
NetSuite | Accounting & finance | netsuite; oracle netsuite |
Sage Intacct | Accounting & finance | sage intacct; sage 50; sage accounting |
Account reconciliation | Accounting & finance | account reconciliation; account reconciliations; accounts reconciliation; bank reconciliation; bank reconciliations; reconciliations; reconciling accounts; balance sheet reconciliation; balance sheet reconciliations; reconcile accounts |
Accounts payable | Accounting & finance | accounts payable |
Accounts receivable | Accounting & finance | accounts receivable |
General ledger | Accounting & finance | general ledger; gl accounting; journal entries; journal entry |
Month-end close | Accounting & finance | month-end close; month end close; month-end closing; month-end; year-end close; financial close |
Financial reporting | Accounting & finance | financial reporting; financial statements; financial statement preparation |
Financial analysis | Accounting & finance | financial analysis; financial planning and analysis; fp&a |
Financial modeling | Accounting & finance | financial modeling; financial modelling; financial models |
Budgeting | Accounting & finance | budgeting; budget preparation; budget planning |
Forecasting | Accounting & finance | forecasting; financial forecasting |
Payroll | Accounting & finance | payroll; payroll processing; payroll administration |
Auditing | Accounting & finance | auditing; internal audit; internal audits; external audit; financial audit; financial audits |
Tax preparation | Accounting & finance | tax preparation; tax returns; tax compliance; taxation; tax planning |
Sarbanes-Oxley | Accounting & finance | sarbanes-oxley; sox compliance | SOX
Variance analysis | Accounting & finance | variance analysis |
Pivot tables | Office software | pivot tables; pivot table; pivottables |
CRM | Sales | crm software; crm systems; crm system; crm tools; customer relationship management | CRM
HubSpot | Sales | hubspot |
Pipedrive | Sales | pipedrive |
Zoho CRM | Sales | zoho crm |
Microsoft Dynamics 365 | Sales | dynamics 365; microsoft dynamics; dynamics crm |
Pipeline management | Sales | pipeline management; sales pipeline; sales pipelines; manage a pipeline; managing a pipeline; manage your pipeline; manage your own pipeline; managing your pipeline; pipeline generation |
Cold calling | Sales | cold calling; cold calls; cold-calling; cold call; outbound calling; outbound calls |
Prospecting | Sales | prospecting; sales prospecting |
Lead generation | Sales | lead generation; lead gen; demand generation |
Account management | Sales | account management; key account management; managing accounts |
Solution selling | Sales | solution selling; consultative selling; value selling; spin selling; consultative sales |
Sales forecasting | Sales | sales forecasting; sales forecasts |
SEO | Marketing | search engine optimization; search engine optimisation | SEO
SEM | Marketing | search engine marketing | SEM
Pay-per-click advertising | Marketing | pay-per-click; pay per click; paid search; ppc campaigns | PPC
Google Analytics | Marketing | google analytics; ga4 |
Google Ads | Marketing | google ads; adwords; google adwords |
Google Tag Manager | Marketing | google tag manager |
Marketo | Marketing | marketo |
Mailchimp | Marketing | mailchimp |
Canva | Marketing | canva |
Content marketing | Marketing | content marketing; content strategy; content creation |
Social media marketing | Marketing | social media marketing; social media management; social media strategy; social media campaigns |
Paid social advertising | Marketing | paid social; paid social media; social ads; social media advertising |
Email marketing | Marketing | email marketing; email campaigns; e-mail marketing |
Copywriting | Marketing | copywriting; copy writing; copywriter |
Marketing automation | Marketing | marketing automation |
A/B testing | Marketing | a/b testing; a/b tests; ab testing; split testing |
Brand management | Marketing | brand management; branding; brand strategy |
Market research | Marketing | market research; market analysis; competitive analysis; competitor analysis |
Teaching | Education | teaching; classroom teaching; teaching experience |
Lesson planning | Education | lesson planning; lesson plans; lesson plan |
Curriculum development | Education | curriculum development; curriculum design; curriculum planning |
Classroom management | Education | classroom management; behaviour management; behavior management |
Differentiated instruction | Education | differentiated instruction; differentiated learning; differentiated teaching; differentiate instruction |
Special education | Education | special education; special educational needs; special needs education; individualized education program; individualized education programs | IEP; IEPs; SEN; SEND
Student assessment | Education | student assessment; formative assessment; summative assessment; formative and summative assessment |
Early childhood education | Education | early childhood education; early years education | ECE
Google Classroom | Education | google classroom |
Canvas LMS | Education | canvas lms; instructure canvas; canvas (learning management systems) | Canvas
Learning management systems | Education | learning management systems; learning management system; lms platform; lms platforms | LMS; LMSs
Instructional design | Education | instructional design; instructional systems design; learning design; learning experience design |
E-learning development | Education | e-learning development; elearning development; e-learning modules; elearning modules; e-learning courses; elearning courses; online course development |
Automotive diagnostics | Skilled trades | automotive diagnostics; vehicle diagnostics; diagnostic scan tools; scan tools; obd-ii; obd2; obd ii |
Preventive maintenance | Skilled trades | preventive maintenance; preventative maintenance; planned maintenance |
Brake repair | Skilled trades | brake repair; brake systems; brake service; brakes; brake jobs |
Suspension and steering | Skilled trades | suspension and steering; suspension systems; steering systems; suspension repair |
Vehicle maintenance | Skilled trades | vehicle maintenance; oil changes; oil change; tire rotations; tire rotation; fluid checks |
Engine repair | Skilled trades | engine repair; engine diagnostics; engine rebuilds; engine overhaul; repair engines |
HVAC | Skilled trades | hvac; hvac systems; hvac/r; hvacr; heating, ventilation and air conditioning | HVAC
Welding | Skilled trades | welding; mig welding; tig welding; arc welding; stick welding; mig/tig welding |
Electrical wiring | Skilled trades | electrical wiring; wiring diagrams; electrical schematics; electrical troubleshooting |
Blueprint reading | Skilled trades | blueprint reading; read blueprints; reading blueprints; technical drawings |
CNC machining | Skilled trades | cnc machining; cnc programming; cnc machines; cnc machine; cnc operator | CNC
Hand and power tools | Skilled trades | hand tools; power tools; hand and power tools |
Hydraulics | Skilled trades | hydraulics; hydraulic systems |
Pneumatics | Skilled trades | pneumatics; pneumatic systems |
Troubleshooting | Technical | troubleshooting; troubleshoot; troubleshooting skills |
Forklift operation | Logistics & warehouse | forklift; forklifts; fork lift; forklift operation; operate a forklift; forklift operator; reach truck; powered industrial truck; powered industrial trucks |
Pallet jack | Logistics & warehouse | pallet jack; pallet jacks; electric pallet jack |
Warehouse management systems | Logistics & warehouse | warehouse management system; warehouse management systems; wms | WMS
Inventory management | Logistics & warehouse | inventory management; inventory control; stock control; cycle counts; cycle counting; inventory counts; inventory tracking |
Order picking | Logistics & warehouse | order picking; picking and packing; pick and pack; order fulfillment; order fulfilment |
Shipping and receiving | Logistics & warehouse | shipping and receiving; shipping & receiving; receiving and shipping |
RF scanners | Logistics & warehouse | rf scanner; rf scanners; rf scanning; rf gun; handheld scanner; handheld scanners; barcode scanner; barcode scanners; barcode scanning |
Material handling | Logistics & warehouse | material handling; materials handling |
Lean manufacturing | Logistics & warehouse | lean manufacturing; lean principles; lean methodology; kaizen | 5S
Hazardous materials handling | Logistics & warehouse | hazmat; hazardous materials; dangerous goods | HAZMAT
Procurement | Logistics & warehouse | procurement; strategic sourcing; purchasing management |
Vendor management | Logistics & warehouse | vendor management; supplier management; supplier relationship management; vendor relations |
Workplace safety | Logistics & warehouse | workplace safety; health and safety; safety procedures; safety protocols; safety regulations; occupational health and safety |
Waterfall | Management | waterfall methodology; waterfall model | Waterfall
Risk management | Management | risk management; risk assessment; risk assessments; risk mitigation; risk analysis |
Microsoft Project | Management | microsoft project; ms project |
Primavera P6 | Management | primavera p6; oracle primavera; primavera |
Construction management | Construction | construction management; construction project management |
Preconstruction | Construction | preconstruction; pre-construction |
Change orders | Construction | change orders; change order management |
Subcontractor management | Construction | subcontractor management; subcontractor coordination; managing subcontractors |
Bluebeam | Construction | bluebeam; bluebeam revu |
Change management | Management | change management |
Process improvement | Management | process improvement; continuous improvement; business process improvement |
Budget management | Management | budget management; manage budgets; managing budgets; p&l responsibility; p&l management |
Recruiting | Human resources | recruiting; talent acquisition; full-cycle recruiting; full cycle recruiting; end-to-end recruitment; candidate sourcing; sourcing candidates |
Employee relations | Human resources | employee relations; labor relations; labour relations |
Onboarding | Human resources | employee onboarding; new hire onboarding |
Benefits administration | Human resources | benefits administration |
HRIS | Human resources | hris; human resources information system; human resource information system | HRIS
Workday | Human resources | workday hcm; workday hr | Workday
ADP | Human resources | adp workforce now | ADP
Legal research | Legal | legal research |
Westlaw | Legal | westlaw |
LexisNexis | Legal | lexisnexis; lexis nexis |
Contract drafting | Legal | contract drafting; drafting contracts; contract review |
Contract management | Legal | contract management; contract administration |
Litigation | Legal | litigation |
Point of sale systems | Hospitality & retail | pos systems; pos system; point of sale; point-of-sale | POS
Cash handling | Hospitality & retail | cash handling; handling cash; cash register |
Food safety | Hospitality & retail | food safety; food hygiene; food handling; safe food handling |
HACCP | Hospitality & retail | haccp |
Zendesk | Customer service | zendesk |
Call center operations | Customer service | call center; call centre; contact center; contact centre; inbound calls |
Data entry | Office software | data entry |
Microsoft Teams | Office software | microsoft teams; ms teams |
Microsoft Access | Office software | microsoft access; ms access |
Slack | Office software | | Slack
Zoom | Office software | zoom meetings | Zoom
Shopify | Hospitality & retail | shopify |
Kronos | Human resources | kronos; ukg kronos |
Microsoft Outlook | Office software | microsoft outlook; ms outlook | Outlook
Google Workspace | Office software | google workspace; g suite; gsuite; google suite |
AutoCAD | Engineering | autocad; autodesk autocad |
SolidWorks | Engineering | solidworks |
Revit | Engineering | revit; autodesk revit |
GD&T | Engineering | gd&t; geometric dimensioning and tolerancing |
Finite element analysis | Engineering | finite element analysis; finite element method | FEA
Root cause analysis | Engineering | root cause analysis; root-cause analysis | RCA
Quality control | Engineering | quality control | QC
"""

# ESCO preferred labels that read as noun phrases but in postings are boilerplate or everyday
# words, not a field the posting asks for: "personal development" (a perk), "application process".
ESCO_LABEL_SKIP = frozenset(
    ["personal development", "application process", "business processes", "office equipment", "sporting events", "health care system", "joint ventures", "engineering principles", "quality standards", "service rooms", "control crowd", "natural gas", "company policies", "customer service", "product comprehension", "working environment"]
)

# Names a resume lists as one item of a skills list ("Word", "Access", "Teams") that in running
# text are ordinary English: they name the product only as a whole list item.
LIST_ONLY = {
    "Word": "Microsoft Word", "Access": "Microsoft Access", "Teams": "Microsoft Teams",
    "Office": "Microsoft Office", "Sheets": "Google Workspace",
    "Docs": "Google Workspace", "Lean": "Lean manufacturing", "Sage": "Sage Intacct",
    "Epic": "Epic", "Sketch": "Sketch", "Chef": "Chef", "Puppet": "Puppet",
}
