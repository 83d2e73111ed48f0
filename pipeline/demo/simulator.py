"""Synthetic B2B lead history that follows the data contract.

The generator simulates accounts, sources, buying committees and the sales
desk in time order, so that a lead's true acceptance probability depends only
on what was known when it was created (see ``TRUE_ACCEPTANCE_NOTE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from leadsift.pipeline.files import atomic_path

TRUE_ACCEPTANCE_NOTE = (
    "In the demo data, sales accept a lead with a probability that depends only "
    "on what was known when the lead came in. Asking for a demo helps most. "
    "Senior titles (C-level, VP, director, head of) help, above all at companies "
    "that fit the ideal customer profile: 50 to 5,000 employees, in software, "
    "financial services, manufacturing or healthcare, in the US, UK, Germany, "
    "Canada, France, the Netherlands, Ireland, Sweden, Switzerland or Australia. "
    "Engagement (page views, form fills, e-mail clicks, attending a webinar), yes "
    "answers to the BANT questions and a high third-party intent_score help too. "
    "A company gains when other contacts from the same company_domain came in "
    "during the previous 45 days (a buying committee), and when that company "
    "already has a won deal, by won_at, from an earlier lead. Tiny companies "
    "(under 10 employees), personal e-mail addresses (gmail.com and the like), "
    "students, interns, retired people and junior staff, junk names (\"test\", "
    "\"Mickey Mouse\"), a missing phone number and 'no' answers to BANT make "
    "acceptance rare. The source counts beyond what its leads look like: partner "
    "and customer referrals do better than their contents suggest, prize draws, "
    "sweepstakes and purchased lists worse. crm_region has no effect. Whether a "
    "lead is worked at all is a separate draw that depends only on its source."
)

DAY = 86_400
_WINDOW_S = 45 * DAY
_KEY_SHIFT = 33  # bits for seconds inside an (account, time) sort key

PERSONAL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com",
    "aol.com", "gmx.de", "web.de", "yahoo.co.uk",
)
_PERSONAL_P = (0.52, 0.12, 0.1, 0.1, 0.05, 0.03, 0.03, 0.03, 0.02)

ICP_INDUSTRIES = frozenset({"Software", "Financial Services", "Manufacturing", "Healthcare"})
ICP_COUNTRIES = frozenset({"US", "GB", "DE", "CA", "FR", "NL", "IE", "SE", "CH", "AU"})
ICP_EMPLOYEES = (50, 5000)

_INDUSTRIES = (
    "Software", "Financial Services", "Manufacturing", "Healthcare", "Retail",
    "Education", "Government", "Hospitality", "Construction", "Media",
    "Non-profit", "Transportation", "Energy", "Telecommunications",
)
_INDUSTRY_P = (0.14, 0.1, 0.14, 0.1, 0.1, 0.08, 0.04, 0.05, 0.06, 0.04, 0.04, 0.05, 0.03, 0.03)
_INDUSTRY_NOUNS = {
    "Software": ("Software", "Labs", "Analytics", "Systems", "Cloud", "Data"),
    "Financial Services": ("Capital", "Financial", "Bank", "Insurance", "Partners", "Wealth"),
    "Manufacturing": ("Manufacturing", "Industries", "Components", "Fabrication", "Tooling", "Plastics"),
    "Healthcare": ("Health", "Medical", "Clinics", "Care", "Diagnostics", "Pharma"),
    "Retail": ("Stores", "Outfitters", "Market", "Goods", "Supply", "Retail"),
    "Education": ("Academy", "Learning", "College", "School", "Institute", "Education"),
    "Government": ("County", "Council", "Authority", "Agency", "District", "Municipality"),
    "Hospitality": ("Hotels", "Restaurants", "Resorts", "Catering", "Hospitality", "Inns"),
    "Construction": ("Builders", "Construction", "Contracting", "Homes", "Engineering", "Roofing"),
    "Media": ("Media", "Studios", "Publishing", "Productions", "Press", "Creative"),
    "Non-profit": ("Foundation", "Trust", "Alliance", "Society", "Charity", "Fund"),
    "Transportation": ("Logistics", "Freight", "Transport", "Shipping", "Fleet", "Lines"),
    "Energy": ("Energy", "Power", "Solar", "Utilities", "Renewables", "Oil & Gas"),
    "Telecommunications": ("Telecom", "Networks", "Communications", "Wireless", "Fiber", "Connect"),
}
_COUNTRIES = (
    "US", "GB", "DE", "CA", "FR", "NL", "AU", "IE", "SE", "CH",
    "IN", "BR", "MX", "ES", "IT", "PL", "JP", "SG", "ZA", "AR",
)
_COUNTRY_P = (0.36, 0.09, 0.08, 0.05, 0.05, 0.03, 0.03, 0.01, 0.01, 0.01,
              0.07, 0.04, 0.02, 0.03, 0.03, 0.02, 0.02, 0.02, 0.02, 0.01)
_DIAL = ("1", "44", "49", "1", "33", "31", "61", "353", "46", "41",
         "91", "55", "52", "34", "39", "48", "81", "65", "27", "54")
_TLD = (".com", ".co.uk", ".de", ".ca", ".fr", ".nl", ".com.au", ".ie", ".se", ".ch",
        ".in", ".com.br", ".mx", ".es", ".it", ".pl", ".jp", ".sg", ".co.za", ".com.ar")
_LEGAL = (" Inc.", " Ltd", " GmbH", " Inc.", " SA", " B.V.", " Pty Ltd", " Ltd", " AB", " AG",
          " Pvt Ltd", " Ltda", " S.A. de C.V.", " S.L.", " S.p.A.", " Sp. z o.o.", " K.K.", " Pte Ltd",
          " (Pty) Ltd", " S.A.")
_REGIONS = ("NA", "EMEA", "EMEA", "NA", "EMEA", "EMEA", "APAC", "EMEA", "EMEA", "EMEA",
            "APAC", "LATAM", "LATAM", "EMEA", "EMEA", "EMEA", "APAC", "APAC", "EMEA", "LATAM")

_PREFIXES = (
    "North", "Blue", "Silver", "Apex", "Bright", "Summit", "Pioneer", "Vertex", "Red", "Green",
    "Iron", "Golden", "Clear", "Swift", "Harbor", "Oak", "Maple", "Cedar", "River", "Lake",
    "Stone", "Sun", "Star", "Cross", "West", "East", "South", "High", "Deep", "True",
    "Prime", "Nova", "Alpha", "Delta", "Omega", "Quantum", "Atlas", "Orion", "Polar", "Metro",
)
_ROOTS = (
    "field", "stone", "bridge", "wave", "point", "core", "line", "gate", "view", "ridge",
    "works", "path", "crest", "haven", "port", "peak", "light", "brook", "wood", "vale",
    "mark", "forge", "wind", "shore", "dale", "spring", "rock", "tree", "well", "way",
)
_QUALIFIERS = ("Group", "Holdings", "International", "Solutions", "Global", "Services",
               "Partners", "Worldwide", "Enterprises", "Associates", "Consolidated", "United")
_FIRST = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
    "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Sandra", "Steven", "Ashley", "Paul", "Emily",
    "Andrew", "Michelle", "Joshua", "Amanda", "Kevin", "Melissa", "Brian", "Stephanie", "George", "Rebecca",
    "Lukas", "Anna", "Jonas", "Lea", "Pierre", "Camille", "Sanne", "Daan", "Priya", "Rahul",
    "Wei", "Mei", "Hiroshi", "Yuki", "Carlos", "Lucia", "Olivia", "Noah", "Emma", "Liam",
    "Sofia", "Mateo", "Aisha", "Omar", "Ingrid", "Erik", "Fatima", "Chen", "Marta", "Piotr",
)
_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Lefebvre", "Moreau", "de Vries", "Jansen",
    "Patel", "Sharma", "Singh", "Wang", "Li", "Zhang", "Tanaka", "Sato", "Silva", "Santos",
    "O'Brien", "Murphy", "Kelly", "Andersson", "Johansson", "Nowak", "Kowalski", "Rossi", "Russo", "Fernandez",
)
JUNK_NAMES: frozenset[tuple[str, str]] = frozenset({
    ("test", "test"), ("asdf", "asdf"), ("mickey", "mouse"), ("donald", "duck"),
    ("a", "a"), ("xxx", "xxx"), ("test", "user"), ("no", "name"),
})
_JUNK_PAIRS = (("test", "test"), ("asdf", "asdf"), ("Mickey", "Mouse"), ("Donald", "Duck"),
               ("a", "a"), ("xxx", "xxx"), ("Test", "User"), ("no", "name"))
_JUNK_COMPANIES = ("test", "asdf", "none", "-", "n/a", "Disney")

# Title levels, their logit effects, and a free-text catalog per level.
_LEVELS = ("c_level", "vp", "director", "manager", "staff", "junior", "non_buyer", "owner", "none", "junk")
_LEVEL_EFFECT = np.array([1.0, 0.9, 0.7, 0.25, -0.2, -0.8, -2.2, 0.0, -0.4, -0.8])
_SENIOR_LEVELS = (0, 1, 2)
_TITLES: dict[str, tuple[str, ...]] = {
    "c_level": ("CEO", "Chief Executive Officer", "Chief Financial Officer", "CFO", "CIO",
                "Chief Information Officer", "CTO", "Chief Operating Officer", "COO",
                "Chief Information Security Officer", "President", "Co-founder & CEO"),
    "vp": ("VP of IT", "VP Sales", "Vice President, Operations", "VP Finance", "SVP Engineering",
           "VP Marketing", "vp procurement", "EVP, Technology"),
    "director": ("IT Director", "Director of Procurement", "Head of Operations", "Head of IT",
                 "Director, Finance", "Sr. Director Engineering", "Head of Data", "Director of Operations",
                 "Managing Director"),
    "manager": ("Sr. Mgr, Procurement", "IT Manager", "Operations Manager", "Finance Manager",
                "Procurement Manager", "Project Manager", "Mgr. IT Infrastructure", "Team Lead, Data",
                "Category Manager", "Product Manager"),
    "staff": ("Software Engineer", "Data Analyst", "Accountant", "Systems Administrator", "Buyer",
              "Consultant", "Business Analyst", "DevOps Engineer", "Nurse", "Teacher", "Engineer"),
    "junior": ("Marketing Coordinator", "Executive Assistant", "Office Assistant", "Sales Representative",
               "Customer Service Rep", "Receptionist", "Junior Analyst", "Trainee"),
    "non_buyer": ("Student", "student", "Intern", "Marketing Intern", "Retired", "Unemployed",
                  "MBA Candidate", "PhD student"),
    "owner": ("Owner", "Founder", "Owner/Operator", "Self-employed", "Proprietor", "Co-founder"),
    "none": ("",),
    "junk": ("asdf", "test", "xxx", "."),
}
_TITLE_MIXES = {  # weights over the first nine levels (junk titles come with junk names)
    "good": (0.1, 0.12, 0.18, 0.22, 0.2, 0.06, 0.02, 0.05, 0.05),
    "mid": (0.05, 0.07, 0.12, 0.22, 0.28, 0.12, 0.05, 0.04, 0.05),
    "weak": (0.06, 0.06, 0.1, 0.18, 0.28, 0.14, 0.04, 0.06, 0.08),
    "prize": (0.02, 0.02, 0.04, 0.1, 0.25, 0.2, 0.2, 0.07, 0.1),
    "senior": (0.15, 0.2, 0.3, 0.2, 0.1, 0.02, 0.0, 0.01, 0.02),
}

_NON_BUYER = re.compile(r"\b(student|intern|retired|unemployed|candidate)\b")
_VP = re.compile(r"\b(vp|svp|evp|vice president)\b")
_C_LEVEL = re.compile(r"\b(chief|ceo|cfo|cio|cto|coo|ciso|president)\b")
_DIRECTOR = re.compile(r"\b(director|head of)\b")
_OWNER = re.compile(r"\b(owner|founder|co-founder|self-employed|proprietor)\b")
_MANAGER = re.compile(r"\b(manager|mgr|lead)\b")
_JUNIOR = re.compile(r"\b(coordinator|assistant|receptionist|representative|rep|junior|trainee|clerk)\b")


def title_level(title: object) -> str:
    """Seniority level of a free-text job title (one of the demo's title levels)."""
    if not isinstance(title, str) or not title.strip():
        return "none"
    text = title.strip().lower()
    if text in {"asdf", "test", "xxx", ".", "-", "n/a"}:
        return "junk"
    for level, pattern in (("non_buyer", _NON_BUYER), ("vp", _VP), ("c_level", _C_LEVEL),
                           ("director", _DIRECTOR), ("owner", _OWNER), ("manager", _MANAGER),
                           ("junior", _JUNIOR)):
        if pattern.search(text):
            return level
    return "staff"


@dataclass(frozen=True)
class _Source:
    """How one source's leads are made, and how sales treat them."""

    name: str
    source_type: str
    share: float  # share of the history's leads; 0 for the new lists
    cost: float  # mean cost per lead
    cost_sd: float  # log-scale spread of the cost; 0 is a fixed price
    effect: float | None  # logit effect beyond contents; None: the source_type's
    unworked: float
    timing: str
    when: tuple[float, ...]
    accounts: tuple[float, float, float, float, float]  # weight: tiny, small, mid, large, x ICP
    no_company: float
    personal: float
    junk: float
    no_phone: float
    titles: str
    page_views: float
    form_base: int
    form_fills: float
    email_clicks: float
    webinar: float
    demo: float
    bant: float
    committee: float
    returning: bool


_SOURCES: tuple[_Source, ...] = (
    _Source("Website demo request", "inbound_demo", 0.025, 45.0, 0.3, 0.4, 0.03, "steady", (),
            (0.5, 1.0, 2.0, 1.5, 3.0), 0.0, 0.12, 0.005, 0.03, "good",
            8.0, 1, 0.8, 1.5, 0.2, 1.0, 0.7, 0.45, True),
    _Source("Partner referral - Acme Consulting", "partner", 0.015, 150.0, 0.2, 0.9, 0.05, "steady", (),
            (0.5, 1.0, 2.0, 1.5, 2.0), 0.0, 0.1, 0.0, 0.05, "good",
            3.0, 0, 0.3, 0.5, 0.1, 0.25, 0.6, 0.3, True),
    _Source("Customer referral program", "referral", 0.012, 100.0, 0.0, 0.7, 0.06, "steady", (),
            (0.8, 1.0, 1.5, 1.2, 1.5), 0.0, 0.15, 0.0, 0.08, "good",
            3.0, 0, 0.5, 0.5, 0.1, 0.2, 0.4, 0.2, True),
    _Source("Webinar: pricing for ops teams", "webinar", 0.04, 35.0, 0.2, 0.1, 0.1, "events",
            (0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95),
            (0.8, 1.0, 1.5, 1.2, 2.0), 0.0, 0.2, 0.005, 0.15, "mid",
            5.0, 1, 0.5, 2.0, 0.65, 0.05, 0.3, 0.5, True),
    _Source("Webinar: data security basics", "webinar", 0.035, 40.0, 0.2, 0.0, 0.12, "events",
            (0.1, 0.3, 0.5, 0.7, 0.9),
            (0.8, 1.0, 1.5, 1.5, 1.5), 0.0, 0.22, 0.005, 0.15, "mid",
            5.0, 1, 0.5, 2.0, 0.6, 0.04, 0.3, 0.5, True),
    _Source("Whitepaper download: ROI guide", "content", 0.07, 25.0, 0.2, -0.1, 0.15, "steady", (),
            (1.0, 1.0, 1.3, 1.2, 1.5), 0.01, 0.3, 0.01, 0.2, "mid",
            4.0, 1, 0.4, 1.0, 0.08, 0.03, 0.15, 0.35, True),
    _Source("Content syndication - TechTarget-like vendor", "content", 0.09, 45.0, 0.0, -0.4, 0.25,
            "steady", (), (0.7, 1.0, 1.3, 2.0, 1.3), 0.0, 0.15, 0.01, 0.1, "weak",
            0.5, 0, 0.1, 0.3, 0.02, 0.01, 0.1, 0.2, False),
    _Source("Purchased list - Q1 data vendor", "purchased_list", 0.14, 2.0, 0.0, -0.7, 0.4, "imports",
            (0.08, 0.33, 0.58, 0.83), (1.0, 1.0, 1.0, 1.0, 1.0), 0.0, 0.25, 0.01, 0.25, "weak",
            0.05, 0, 0.0, 0.05, 0.0, 0.0, 0.05, 0.0, False),
    _Source("Trade show booth scans - SaaSConf", "tradeshow", 0.07, 80.0, 0.1, -0.1, 0.25, "events",
            (0.18, 0.68), (0.8, 1.0, 1.5, 1.5, 1.5), 0.02, 0.25, 0.01, 0.1, "mid",
            1.0, 0, 0.2, 0.3, 0.03, 0.06, 0.4, 0.3, True),
    _Source("Trade show 2025 iPad prize draw", "prize_draw", 0.12, 8.0, 0.0, -0.8, 0.45, "events",
            (0.2,), (3.0, 1.5, 0.6, 0.5, 1.0), 0.25, 0.6, 0.06, 0.6, "prize",
            0.3, 0, 0.1, 0.1, 0.01, 0.0, 0.05, 0.02, False),
    _Source("Summer sweepstakes 2025", "prize_draw", 0.15, 3.0, 0.0, -1.0, 0.5, "window",
            (0.3, 0.42), (3.0, 1.5, 0.5, 0.4, 1.0), 0.35, 0.7, 0.08, 0.5, "prize",
            1.0, 1, 0.0, 0.5, 0.01, 0.0, 0.03, 0.0, False),
    _Source("Google Ads - brand", "paid_search", 0.07, 55.0, 0.6, 0.2, 0.08, "steady", (),
            (0.8, 1.0, 1.4, 1.2, 1.5), 0.01, 0.3, 0.01, 0.15, "mid",
            4.0, 1, 0.3, 0.5, 0.05, 0.12, 0.2, 0.3, True),
    _Source("Organic search", "organic", 0.08, 0.0, 0.0, 0.1, 0.08, "steady", (),
            (0.9, 1.0, 1.3, 1.2, 1.5), 0.01, 0.3, 0.02, 0.2, "mid",
            6.0, 1, 0.4, 0.8, 0.08, 0.08, 0.2, 0.3, True),
    _Source("Monthly newsletter", "email", 0.06, 1.0, 0.0, -0.2, 0.15, "monthly", (),
            (1.0, 1.0, 1.2, 1.2, 1.3), 0.01, 0.35, 0.01, 0.25, "mid",
            3.0, 0, 0.6, 2.5, 0.1, 0.03, 0.1, 0.3, True),
    _Source("LinkedIn Ads - CFO persona", "social", 0.03, 70.0, 0.4, -0.2, 0.1, "steady", (),
            (0.7, 1.0, 1.5, 1.5, 1.5), 0.01, 0.2, 0.01, 0.3, "good",
            2.0, 1, 0.1, 0.3, 0.03, 0.04, 0.15, 0.25, True),
    # the two new lists: never in the history, dated after its end
    _Source("Expo 2026 - win an iPad!", "tradeshow", 0.0, 6.0, 0.0, None, 0.45, "new_expo", (),
            (3.0, 1.5, 0.5, 0.4, 1.0), 0.3, 0.7, 0.08, 0.85, "prize",
            0.2, 0, 0.1, 0.1, 0.01, 0.0, 0.03, 0.0, False),
    _Source("Webinar: security roundtable Dec 2026", "webinar", 0.0, 40.0, 0.2, None, 0.1, "new_webinar",
            (), (0.02, 0.2, 3.0, 1.0, 10.0), 0.0, 0.03, 0.0, 0.1, "senior",
            7.0, 1, 0.6, 2.5, 0.6, 0.2, 0.5, 0.0, False),
)
_N_HISTORY_SOURCES = 15
_NEW_PRIZE, _NEW_STRONG = 15, 16
_NEW_LIST_ROWS = {"prize_draw": 2000, "strong": 400}

SOURCE_EFFECT: dict[str, float] = {s.name: s.effect for s in _SOURCES if s.effect is not None}
SOURCE_TYPE_EFFECT: dict[str, float] = {
    "inbound_demo": 0.4, "partner": 0.9, "referral": 0.7, "webinar": 0.05, "content": -0.25,
    "purchased_list": -0.7, "tradeshow": -0.1, "prize_draw": -0.9, "paid_search": 0.2,
    "organic": 0.1, "email": -0.2, "social": -0.2, "other": 0.0,
}

_INTERCEPT = -2.0
_SPREAD = 0.75  # one factor on all effects, to keep the true AUC realistic
_LEAD_COLUMNS = (
    "lead_id", "created_at", "source", "source_type", "cost", "email", "phone", "first_name",
    "last_name", "job_title", "company", "company_domain", "employees", "annual_revenue", "industry",
    "country", "page_views", "form_fills", "email_clicks", "webinar_attended", "demo_requested",
    "last_activity_at", "budget", "authority", "need", "timing",
)
_EXTRA_COLUMNS = ("crm_region", "intent_score")
_OUTCOME_COLUMNS = ("sales_status", "status_at", "closed_won", "won_at", "won_amount")
_BANT = ("budget", "authority", "need", "timing")
_BANT_WEIGHTS = (0.5, 0.5, 0.6, 0.4)


@dataclass(frozen=True)
class DemoData:
    """A generated lead history, two new lists to score, and the true probabilities."""

    history: pd.DataFrame
    new_lists: dict[str, pd.DataFrame]
    truth: pd.DataFrame


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _acceptance_logit(
    source_effect: np.ndarray, level: np.ndarray, junk: np.ndarray, personal: np.ndarray,
    no_phone: np.ndarray, employees: np.ndarray, icp_industry: np.ndarray, icp_country: np.ndarray,
    page_views: np.ndarray, form_fills: np.ndarray, email_clicks: np.ndarray, webinar: np.ndarray,
    demo: np.ndarray, bant: np.ndarray, intent: np.ndarray, n_recent: np.ndarray, prior_won: np.ndarray,
) -> np.ndarray:
    """True log-odds of acceptance from observable values (bant: 4 x n of +1/-1/0)."""
    emp = np.nan_to_num(employees, nan=-1.0)
    emp_effect = np.select(
        [emp < 0, emp < 10, emp < ICP_EMPLOYEES[0], emp <= ICP_EMPLOYEES[1]], [-0.3, -1.3, -0.4, 0.2], 0.0
    )
    icp = (emp >= ICP_EMPLOYEES[0]) & (emp <= ICP_EMPLOYEES[1]) & icp_industry & icp_country
    senior = np.isin(level, _SENIOR_LEVELS)
    z = _INTERCEPT + _SPREAD * (
        source_effect + _LEVEL_EFFECT[level]
        - 2.0 * junk - 1.0 * personal - 0.4 * no_phone + emp_effect
        + 0.5 * icp + 0.4 * (icp & senior)
        + 0.3 * np.log1p(page_views) + 0.35 * np.minimum(form_fills, 4) + 0.2 * np.log1p(email_clicks)
        + 0.5 * webinar + 1.4 * demo
        + np.tensordot(np.asarray(_BANT_WEIGHTS), bant, axes=1)
        + 0.02 * np.nan_to_num(intent - 50.0, nan=0.0)
        + 0.45 * np.log1p(n_recent) + 1.0 * prior_won
    )
    return z


def _recent_counts(ctx_key: np.ndarray, ctx_t: np.ndarray, key: np.ndarray, t: np.ndarray, base: int) -> np.ndarray:
    """Leads of the context with the same key created in [t - 45 days, t); key < 0 counts 0."""
    keep = ctx_key >= 0
    combo = np.sort((ctx_key[keep].astype(np.int64) << _KEY_SHIFT) | (ctx_t[keep] - base))
    q = (np.maximum(key, 0).astype(np.int64) << _KEY_SHIFT) | (t - base)
    n = np.searchsorted(combo, q, "left") - np.searchsorted(combo, q - _WINDOW_S, "left")
    return np.where(key >= 0, n, 0)


def _seconds(values: pd.Series) -> np.ndarray:
    """Epoch seconds of a datetime-like column (NaT -> int64 min)."""
    dt = pd.to_datetime(values)
    out = dt.to_numpy(dtype="datetime64[s]").astype(np.int64)
    return np.where(dt.isna().to_numpy(), np.iinfo(np.int64).min, out)


def _truth_flags(values: pd.Series | None, n: int) -> np.ndarray:
    """A boolean-ish column as floats 1.0 / 0.0 / nan (true/false/yes/no/1/0, any case)."""
    if values is None:
        return np.full(n, np.nan)
    text = values.astype("str").str.strip().str.lower()
    out = np.full(n, np.nan)
    out[text.isin(["true", "yes", "y", "1", "1.0"]).to_numpy()] = 1.0
    out[text.isin(["false", "no", "n", "0", "0.0"]).to_numpy()] = 0.0
    return out


def true_accept_probability(leads: pd.DataFrame, past: pd.DataFrame | None = None) -> pd.Series:
    """The demo's true acceptance probability of each lead, from observable columns only.

    Account history (other leads of the same company_domain in the previous
    45 days, an earlier won deal by won_at) is read from ``past`` plus
    ``leads`` themselves. Returns a float Series aligned to ``leads``.
    """
    n = len(leads)
    ctx = leads if past is None else pd.concat([past, leads], ignore_index=True)

    def col(frame: pd.DataFrame, name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name]
        return pd.Series([pd.NA] * len(frame), index=frame.index, dtype="str")

    src = col(leads, "source").map(SOURCE_EFFECT)
    src = src.fillna(col(leads, "source_type").map(SOURCE_TYPE_EFFECT)).fillna(0.0)
    titles = col(leads, "job_title")
    level_of = {t: _LEVELS.index(title_level(t)) for t in titles.dropna().unique()}
    level = titles.map(level_of).fillna(_LEVELS.index("none")).to_numpy(dtype=np.int64)
    first = col(leads, "first_name").astype("str").str.strip().str.lower().fillna("")
    last = col(leads, "last_name").astype("str").str.strip().str.lower().fillna("")
    junk = (first + "|" + last).isin({f"{a}|{b}" for a, b in JUNK_NAMES}).to_numpy()
    email_domain = col(leads, "email").astype("str").str.lower().str.rsplit("@", n=1).str[-1]
    personal = email_domain.isin(PERSONAL_DOMAINS).to_numpy()
    phone = col(leads, "phone").astype("str").str.strip()
    no_phone = (phone.isna() | (phone == "")).to_numpy()

    def num(name: str) -> np.ndarray:
        return pd.to_numeric(col(leads, name), errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    bant = np.stack([np.nan_to_num(2.0 * _truth_flags(leads.get(b), n) - 1.0, nan=0.0) for b in _BANT])
    ctx_key, _ = pd.factorize(col(ctx, "company_domain").astype("str").str.strip().str.lower())
    ctx_t = _seconds(col(ctx, "created_at"))
    offset = 0 if past is None else len(past)
    key, t = ctx_key[offset:], ctx_t[offset:]
    base = int(ctx_t.min()) - _WINDOW_S - DAY
    n_recent = _recent_counts(ctx_key, ctx_t, key, t, base)
    prior_won = np.zeros(n, dtype=bool)
    if "won_at" in ctx.columns and "closed_won" in ctx.columns:
        won = (_truth_flags(ctx["closed_won"], len(ctx)) == 1.0) & (ctx_key >= 0)
        won_t = _seconds(ctx["won_at"])
        won &= won_t != np.iinfo(np.int64).min
        first_won = np.full(max(int(ctx_key.max(initial=-1)) + 1, 1), np.iinfo(np.int64).max)
        np.minimum.at(first_won, ctx_key[won], won_t[won])
        prior_won = (key >= 0) & (first_won[np.maximum(key, 0)] < t)
    z = _acceptance_logit(
        source_effect=src.to_numpy(dtype=float), level=level, junk=junk, personal=personal,
        no_phone=no_phone, employees=num("employees"),
        icp_industry=col(leads, "industry").isin(ICP_INDUSTRIES).to_numpy(),
        icp_country=col(leads, "country").isin(ICP_COUNTRIES).to_numpy(),
        page_views=np.nan_to_num(num("page_views")), form_fills=np.nan_to_num(num("form_fills")),
        email_clicks=np.nan_to_num(num("email_clicks")),
        webinar=np.nan_to_num(_truth_flags(leads.get("webinar_attended"), n)),
        demo=np.nan_to_num(_truth_flags(leads.get("demo_requested"), n)),
        bant=bant, intent=num("intent_score"), n_recent=n_recent, prior_won=prior_won,
    )
    return pd.Series(_sigmoid(z), index=leads.index, name="p_accept_true")


# ----------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class _Accounts:
    """The pool of companies that leads come from."""

    employees: np.ndarray
    revenue: np.ndarray
    industry: np.ndarray
    country: np.ndarray
    icp: np.ndarray
    size_class: np.ndarray  # 0 tiny, 1 small, 2 mid, 3 large
    name: np.ndarray  # object array of display names
    domain: np.ndarray  # object array of unique domains


def _make_accounts(rng: np.random.Generator, n: int) -> _Accounts:
    employees = np.clip(np.round(np.exp(rng.normal(np.log(22.0), 1.9, n))), 1, 250_000).astype(np.int64)
    revenue = np.round(employees * np.exp(rng.normal(np.log(160_000.0), 0.5, n)), -3)
    industry = rng.choice(len(_INDUSTRIES), n, p=_INDUSTRY_P).astype(np.int64)
    country = rng.choice(len(_COUNTRIES), n, p=_COUNTRY_P).astype(np.int64)
    icp = (
        (employees >= ICP_EMPLOYEES[0]) & (employees <= ICP_EMPLOYEES[1])
        & np.isin(industry, [_INDUSTRIES.index(i) for i in ICP_INDUSTRIES])
        & np.isin(country, [_COUNTRIES.index(c) for c in ICP_COUNTRIES])
    )
    size_class = np.searchsorted([10, ICP_EMPLOYEES[0], ICP_EMPLOYEES[1] + 1], employees, "right")
    nouns = np.array([noun for ind in _INDUSTRIES for noun in _INDUSTRY_NOUNS[ind]], dtype=object)
    noun = nouns[industry * 6 + rng.integers(0, 6, n)]
    base = (
        pd.Series(np.array(_PREFIXES, dtype=object)[rng.integers(0, len(_PREFIXES), n)], dtype="str")
        + pd.Series(np.array(_ROOTS, dtype=object)[rng.integers(0, len(_ROOTS), n)], dtype="str")
        + " " + pd.Series(noun, dtype="str")
    )
    slug = base.str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    dup = slug.groupby(slug, sort=False).cumcount().to_numpy()
    # namesakes get a qualifier ("Group", "Holdings", ...), then a number
    qualifier = np.array(("",) + _QUALIFIERS, dtype=object)[np.minimum(dup, len(_QUALIFIERS))]
    extra = pd.Series(qualifier, dtype="str").where(dup <= len(_QUALIFIERS),
                                                    "Group " + pd.Series(dup).astype("str"))
    base = base.where(dup == 0, base + " " + extra)
    slug = slug.where(dup == 0, slug + extra.str.lower().str.replace(r"[^a-z0-9]", "", regex=True))
    domain = (slug + pd.Series(np.array(_TLD, dtype=object)[country], dtype="str")).to_numpy(dtype=object)
    legal = np.where(rng.random(n) < 0.5, np.array(_LEGAL, dtype=object)[country], "")
    name = (base + pd.Series(legal, dtype="str")).to_numpy(dtype=object)
    return _Accounts(employees, revenue, industry, country, icp, size_class, name, domain)


def _account_weights(acc: _Accounts, mult: tuple[float, float, float, float, float]) -> np.ndarray:
    w = acc.employees.astype(float) ** 0.25 * np.asarray(mult[:4])[acc.size_class]
    w = np.where(acc.icp, w * mult[4], w)
    return w / w.sum()


def _lead_times(rng: np.random.Generator, src: _Source, n: int, t0: int, period: int) -> np.ndarray:
    """Creation times (epoch seconds) of one source's leads."""
    n_days = max(1, period // DAY)
    day0 = pd.Timestamp(t0, unit="s").day_of_week
    weekday = (day0 + np.arange(n_days)) % 7
    day_w = np.where(weekday < 5, 1.0, 0.3)
    if src.timing == "steady":
        days = rng.choice(n_days, n, p=day_w / day_w.sum())
    elif src.timing == "events":
        event = (np.asarray(src.when) * n_days).astype(np.int64)[rng.integers(0, len(src.when), n)]
        if src.source_type == "webinar":  # registrations in the days before the session
            days = event - np.floor(rng.exponential(5.0, n)).astype(np.int64)
        else:  # scans over a three-day show
            days = event + rng.integers(0, 3, n)
    elif src.timing == "window":
        lo, hi = (int(f * n_days) for f in src.when)
        days = rng.integers(lo, max(hi, lo + 1), n)
    elif src.timing == "monthly":
        sends = np.arange(3, n_days, 30)
        days = sends[rng.integers(0, len(sends), n)] + np.floor(rng.exponential(1.5, n)).astype(np.int64)
    elif src.timing == "imports":
        imports = (np.asarray(src.when) * n_days).astype(np.int64)
        days = imports[rng.integers(0, len(imports), n)]
        sec = 10 * 3600 + rng.integers(0, 7200, n)
        return np.clip(t0 + np.clip(days, 0, n_days - 1) * DAY + sec, t0, t0 + period - 1)
    else:
        raise ValueError(f"unknown timing {src.timing!r}")
    sec = np.clip(rng.normal(13.5, 3.5, n), 0, 23.99) * 3600
    days = np.clip(days, 0, n_days - 1)
    return np.clip(t0 + days * DAY + sec.astype(np.int64), t0, t0 + period - 1)


@dataclass
class _Leads:
    """Per-lead arrays: raw draws first, then values fixed in time order."""

    src: np.ndarray
    t: np.ndarray
    acct: np.ndarray
    draws: dict[str, np.ndarray]
    fixed: dict[str, np.ndarray]


def _draw_contents(rng: np.random.Generator, src: np.ndarray) -> dict[str, np.ndarray]:
    """Everything about a lead that does not depend on its account or on outcomes."""
    n = len(src)

    def par(field: str) -> np.ndarray:
        return np.array([getattr(s, field) for s in _SOURCES])[src]

    level = np.zeros(n, dtype=np.int64)
    mixes = np.array([s.titles for s in _SOURCES])[src]
    for mix, weights in _TITLE_MIXES.items():
        rows = np.flatnonzero(mixes == mix)
        p = np.asarray(weights) / np.sum(weights)
        level[rows] = rng.choice(len(weights), len(rows), p=p)
    junk = rng.random(n) < par("junk")
    level = np.where(junk, np.where(rng.random(n) < 0.6, _LEVELS.index("junk"), _LEVELS.index("none")), level)
    interest = rng.gamma(2.0, 0.5, n)  # a lead's curiosity, shared by its engagement counts
    page_views = rng.poisson(par("page_views") * interest)
    form_fills = par("form_base") + rng.poisson(par("form_fills") * interest)
    email_clicks = rng.poisson(par("email_clicks") * interest)
    demo = rng.random(n) < par("demo")
    webinar = rng.random(n) < np.minimum(1.0, par("webinar") * (0.5 + 0.5 * interest))
    cost_sd = par("cost_sd")
    cost = np.round(par("cost") * np.exp(rng.normal(0.0, 1.0, n) * cost_sd - cost_sd**2 / 2), 2)
    bant_asked = rng.random(n) < par("bant")
    bant_present = bant_asked[None, :] & (rng.random((4, n)) < 0.8)
    activity_lag = np.where(rng.random(n) < 0.4, 0, rng.exponential(3 * DAY, n)).astype(np.int64)
    activity_lag = np.where(page_views + email_clicks + form_fills == 0, rng.integers(0, 90 * DAY, n), activity_lag)
    return {
        "level": level, "title_u": rng.random(n), "owner_u": rng.random(n), "junk": junk,
        "junk_pair": rng.integers(0, len(_JUNK_PAIRS), n), "junk_company": rng.integers(0, len(_JUNK_COMPANIES), n),
        "first": rng.integers(0, len(_FIRST), n), "last": rng.integers(0, len(_LAST), n),
        "personal": rng.random(n) < par("personal"),
        "personal_domain": rng.choice(len(PERSONAL_DOMAINS), n, p=_PERSONAL_P),
        "local_style": rng.integers(0, 3, n), "local_number": rng.integers(1, 99, n),
        "domain_u": rng.random(n), "no_phone": rng.random(n) < par("no_phone"),
        "phone_area": rng.integers(20, 999, n), "phone_number": rng.integers(1_000_000, 9_999_999, n),
        "emp_seen": rng.random(n) < 0.88, "rev_seen": rng.random(n) < 0.8, "ind_seen": rng.random(n) < 0.9,
        "ctry_seen": rng.random(n) < 0.95, "lead_country": rng.choice(len(_COUNTRIES), n, p=_COUNTRY_P),
        "page_views": page_views, "form_fills": form_fills, "email_clicks": email_clicks,
        "webinar": webinar, "demo": demo, "cost": cost, "bant_present": bant_present,
        "bant_u": rng.random((4, n)), "intent_u": rng.random(n), "intent_z": rng.normal(0.0, 1.0, n),
        "activity_lag": activity_lag, "accept_u": rng.random(n), "unworked_u": rng.random(n),
        "status_lag": ((1.0 + np.minimum(rng.gamma(1.3, 4.0, n), 29.0)) * DAY).astype(np.int64),
        "won_u": rng.random(n), "won_lag": ((20.0 + np.minimum(rng.gamma(2.0, 20.0, n), 130.0)) * DAY).astype(np.int64),
        "amount_z": rng.normal(0.0, 0.7, n),
    }


def _title_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat title catalog: texts, the start of each level, and its size."""
    texts, starts, sizes = [], [], []
    for level in _LEVELS:
        starts.append(len(texts))
        sizes.append(len(_TITLES[level]))
        texts.extend(_TITLES[level])
    return np.array(texts, dtype=object), np.array(starts), np.array(sizes)


def _fix_contents(d: dict[str, np.ndarray], sl: slice, acct: np.ndarray, acc: _Accounts) -> dict[str, np.ndarray]:
    """Values that depend on the lead's (final) account, for the leads in ``sl``."""
    has = acct >= 0
    a = np.maximum(acct, 0)
    tiny = has & (acc.employees[a] < 10)
    level = d["level"][sl]
    owner = tiny & (d["owner_u"][sl] < 0.4) & (level < _LEVELS.index("none"))
    level = np.where(owner, _LEVELS.index("owner"), level)
    personal = d["personal"][sl] | ~has
    domain_seen = has & ~(personal & (d["domain_u"][sl] < 0.3))
    employees = np.where(has & d["emp_seen"][sl], acc.employees[a], np.nan)
    industry = np.where(has & d["ind_seen"][sl], acc.industry[a], -1)
    country = np.where(has, acc.country[a], d["lead_country"][sl])
    country_seen = np.where(d["ctry_seen"][sl], country, -1)
    icp_ind = np.isin(industry, [_INDUSTRIES.index(i) for i in ICP_INDUSTRIES])
    icp_ctry = np.isin(country_seen, [_COUNTRIES.index(c) for c in ICP_COUNTRIES])
    emp = np.nan_to_num(employees, nan=-1.0)
    icp_seen = (emp >= ICP_EMPLOYEES[0]) & (emp <= ICP_EMPLOYEES[1]) & icp_ind & icp_ctry
    senior = np.isin(level, _SENIOR_LEVELS)
    demo = d["demo"][sl]
    q = _sigmoid(-0.4 + 0.9 * icp_seen + 0.6 * senior - 1.0 * ((emp >= 0) & (emp < 10)) + 0.8 * demo)
    bant = np.where(d["bant_present"][:, sl], np.where(d["bant_u"][:, sl] < q, 1, -1), 0).astype(np.int8)
    intent = np.clip(np.round(28 + 22 * d["intent_z"][sl] + 18 * icp_seen + 12 * demo
                              + 4 * np.log1p(d["page_views"][sl])), 0, 100)
    intent = np.where(d["intent_u"][sl] < np.where(has, 0.85, 0.1), intent, np.nan)
    return {
        "level": level, "personal": personal, "domain_seen": domain_seen, "employees": employees,
        "industry": industry, "country": country, "country_seen": country_seen, "icp_ind": icp_ind,
        "icp_ctry": icp_ctry, "icp_seen": icp_seen, "senior": senior, "bant": bant, "intent": intent,
    }


def _static_args(
    d: dict[str, np.ndarray], f: dict[str, np.ndarray], src: np.ndarray, sl: slice
) -> dict[str, np.ndarray]:
    """Arguments of ``_acceptance_logit`` other than the account history."""
    effect = np.array([s.effect if s.effect is not None else SOURCE_TYPE_EFFECT[s.source_type] for s in _SOURCES])
    return {
        "source_effect": effect[src], "level": f["level"], "junk": d["junk"][sl], "personal": f["personal"],
        "no_phone": d["no_phone"][sl], "employees": f["employees"], "icp_industry": f["icp_ind"],
        "icp_country": f["icp_ctry"], "page_views": d["page_views"][sl], "form_fills": d["form_fills"][sl],
        "email_clicks": d["email_clicks"][sl], "webinar": d["webinar"][sl], "demo": d["demo"][sl],
        "bant": f["bant"].astype(float), "intent": f["intent"],
    }


def _assign_accounts(
    rng: np.random.Generator, src: np.ndarray, t: np.ndarray, acc: _Accounts, t0: int, period: int
) -> tuple[np.ndarray, np.ndarray]:
    """Account of each lead (-1: none) and whether it belongs to a buying committee."""
    n = len(src)
    acct = np.full(n, -1, dtype=np.int64)
    committee = rng.random(n) < np.array([s.committee for s in _SOURCES])[src]
    no_company = rng.random(n) < np.array([s.no_company for s in _SOURCES])[src]
    for k, s in enumerate(_SOURCES):
        rows = np.flatnonzero((src == k) & ~committee & ~no_company)
        if len(rows):
            acct[rows] = rng.choice(len(acc.employees), len(rows), p=_account_weights(acc, s.accounts))
    members = np.flatnonzero(committee)
    if len(members):
        n_ep = max(1, round(len(members) / 2.8))
        centers = np.sort(rng.integers(t0, t0 + period, n_ep))
        ep_acct = rng.choice(len(acc.employees), n_ep, p=_account_weights(acc, (0.3, 0.8, 1.5, 2.0, 3.0)))
        tm = t[members]
        lo = np.searchsorted(centers, tm - 21 * DAY)
        hi = np.searchsorted(centers, tm + 21 * DAY)
        near = np.clip(np.searchsorted(centers, tm), 0, n_ep - 1)
        pick = lo + np.floor(rng.random(len(members)) * (hi - lo)).astype(np.int64)
        acct[members] = ep_acct[np.where(hi > lo, pick, near)]
    return acct, committee


def _simulate(
    rng: np.random.Generator, src: np.ndarray, t: np.ndarray, acct: np.ndarray, returning: np.ndarray,
    d: dict[str, np.ndarray], acc: _Accounts, t0: int, period: int,
) -> dict[str, np.ndarray]:
    """Walk through the weeks: accounts of returning customers, true p, and outcomes."""
    n = len(src)
    n_acc = len(acc.employees)
    out: dict[str, np.ndarray] = {
        "acct": acct.copy(), "key": np.full(n, -1, dtype=np.int64), "p": np.zeros(n),
        "accepted": np.zeros(n, dtype=bool), "won": np.zeros(n, dtype=bool),
    }
    fixed: dict[str, list[np.ndarray]] = {}
    first_won = np.full(n_acc, np.iinfo(np.int64).max)
    base = t0 - _WINDOW_S - DAY
    p_won_base = np.array([s.source_type == "inbound_demo" for s in _SOURCES])[src]
    week_edges = np.searchsorted(t, t0 + np.arange(0, period // (7 * DAY) + 2) * 7 * DAY)
    week_edges = np.unique(np.append(week_edges, n))
    lo = 0
    for hi in week_edges[week_edges > 0]:
        sl = slice(lo, hi)
        week_start = int(t[lo])
        a = out["acct"][sl]
        cand = np.flatnonzero(returning[sl])
        won_recent = np.flatnonzero((first_won < week_start) & (first_won >= week_start - 365 * DAY))
        if len(cand) and len(won_recent):
            k = min(len(cand), int(rng.poisson(len(won_recent) * 1.2 / 52)))
            if k:
                rows = rng.choice(cand, k, replace=False)
                a[rows] = won_recent[rng.integers(0, len(won_recent), k)]
        f = _fix_contents(d, sl, a, acc)
        key = np.where(f["domain_seen"], a, -1)
        out["key"][sl] = key
        j0 = np.searchsorted(t, t[lo] - _WINDOW_S, "left")
        n_recent = _recent_counts(out["key"][j0:hi], t[j0:hi], key, t[sl], base)
        prior_won = (key >= 0) & (first_won[np.maximum(key, 0)] < t[sl])
        z = _acceptance_logit(**_static_args(d, f, src[sl], sl), n_recent=n_recent, prior_won=prior_won)
        p = _sigmoid(z)
        accepted = d["accept_u"][sl] < p
        bant_sum = f["bant"].sum(axis=0)
        p_won = _sigmoid(-1.9 + 0.8 * f["icp_seen"] + 0.4 * f["senior"] + 0.6 * d["demo"][sl]
                         + 0.4 * p_won_base[sl] + 0.15 * bant_sum + 0.5 * prior_won)
        won = accepted & (d["won_u"][sl] < p_won) & (d["unworked_u"][sl] >= _unworked_rate()[src[sl]])
        won_t = t[sl] + d["status_lag"][sl] + d["won_lag"][sl]
        wk = won & (key >= 0)
        np.minimum.at(first_won, key[wk], won_t[wk])
        out["p"][sl], out["accepted"][sl], out["won"][sl] = p, accepted, won
        for name, values in f.items():
            fixed.setdefault(name, []).append(values)
        lo = hi
    merged = {name: np.concatenate(parts, axis=-1) for name, parts in fixed.items()}
    return out | merged


def _unworked_rate() -> np.ndarray:
    return np.array([s.unworked for s in _SOURCES])


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def _lookup(names: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    """Names for codes; a negative code is missing."""
    return np.where(codes >= 0, np.array(names, dtype=object)[np.maximum(codes, 0)], None)


def _datetimes(seconds: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    out = seconds.astype("datetime64[s]").astype("datetime64[us]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return pd.Series(out)


def _lead_frame(
    first_id: int, src: np.ndarray, t: np.ndarray, acct: np.ndarray, d: dict[str, np.ndarray],
    f: dict[str, np.ndarray], acc: _Accounts,
) -> pd.DataFrame:
    """The contract's lead columns plus the two extra CRM columns."""
    n = len(src)
    has = acct >= 0
    a = np.maximum(acct, 0)
    junk = d["junk"]
    first_names = np.array(_FIRST, dtype=object)[d["first"]]
    last_names = np.array(_LAST, dtype=object)[d["last"]]
    pairs = np.array(_JUNK_PAIRS, dtype=object)
    first_names = np.where(junk, pairs[d["junk_pair"], 0], first_names)
    last_names = np.where(junk, pairs[d["junk_pair"], 1], last_names)
    fl = _text(first_names).str.lower().str.replace(r"[^a-z]", "", regex=True)
    ll = _text(last_names).str.lower().str.replace(r"[^a-z]", "", regex=True)
    num = pd.Series(d["local_number"]).astype("str")
    style = d["local_style"]
    local = fl + "." + ll
    local = local.where(style != 1, fl.str[:1] + ll)
    local = local.where(style != 2, fl + ll + num)
    personal = f["personal"]
    local = local.where(~(personal & (style == 0)), fl + "." + ll + num)
    domain = np.where(personal, np.array(PERSONAL_DOMAINS, dtype=object)[d["personal_domain"]], acc.domain[a])
    email = local + "@" + _text(domain)
    country = f["country"]
    phone = "+" + _text(np.array(_DIAL, dtype=object)[country]) + " " + pd.Series(d["phone_area"]).astype("str") \
        + " " + pd.Series(d["phone_number"]).astype("str")
    phone = phone.where(~d["no_phone"])
    texts, starts, sizes = _title_table()
    title_idx = starts[f["level"]] + np.floor(d["title_u"] * sizes[f["level"]]).astype(np.int64)
    job_title = _text(texts[title_idx]).replace("", pd.NA)
    junk_company = np.array(_JUNK_COMPANIES, dtype=object)[d["junk_company"]]
    company = np.where(has, acc.name[a], np.where(junk, junk_company, None))
    company_domain = np.where(f["domain_seen"], acc.domain[a], None)
    revenue = np.where(has & d["rev_seen"] & ~np.isnan(f["employees"]), acc.revenue[a], np.nan)
    activity = t - d["activity_lag"]
    no_activity = np.array([s.source_type == "purchased_list" for s in _SOURCES])[src]
    bant = {name: pd.array(np.where(f["bant"][i] == 0, None, f["bant"][i] > 0), dtype="boolean")
            for i, name in enumerate(_BANT)}
    ids = "L" + pd.Series(np.arange(first_id, first_id + n)).astype("str").str.zfill(7)
    frame = pd.DataFrame({
        "lead_id": ids,
        "created_at": _datetimes(t),
        "source": _text(np.array([s.name for s in _SOURCES], dtype=object)[src]),
        "source_type": _text(np.array([s.source_type for s in _SOURCES], dtype=object)[src]),
        "cost": d["cost"],
        "email": email,
        "phone": phone,
        "first_name": _text(first_names),
        "last_name": _text(last_names),
        "job_title": job_title,
        "company": _text(company),
        "company_domain": _text(company_domain),
        "employees": pd.array(np.where(np.isnan(f["employees"]), None, f["employees"]), dtype="Int64"),
        "annual_revenue": revenue,
        "industry": _text(_lookup(_INDUSTRIES, f["industry"])),
        "country": _text(_lookup(_COUNTRIES, f["country_seen"])),
        "page_views": d["page_views"].astype(np.int64),
        "form_fills": d["form_fills"].astype(np.int64),
        "email_clicks": d["email_clicks"].astype(np.int64),
        "webinar_attended": d["webinar"].astype(bool),
        "demo_requested": d["demo"].astype(bool),
        "last_activity_at": _datetimes(activity, no_activity),
        **bant,
        "crm_region": _text(np.array(_REGIONS, dtype=object)[country]),
        "intent_score": pd.array(np.where(np.isnan(f["intent"]), None, f["intent"]), dtype="Int64"),
    })
    return frame


def _outcomes(
    src: np.ndarray, t: np.ndarray, d: dict[str, np.ndarray], sim: dict[str, np.ndarray], acc: _Accounts, export: int
) -> pd.DataFrame:
    """Outcome columns as a CRM export taken at ``export`` shows them."""
    status_t = t + d["status_lag"]
    pending = status_t > export
    unworked = d["unworked_u"] < _unworked_rate()[src]
    status = np.where(unworked, "unworked", np.where(sim["accepted"], "accepted", "rejected")).astype(object)
    status[pending] = None
    won_t = status_t + d["won_lag"]
    won = sim["won"] & ~pending & (won_t <= export)
    emp = np.where(sim["acct"] >= 0, acc.employees[np.maximum(sim["acct"], 0)], 10).astype(float)
    amount = np.round(np.exp(np.log(9000.0) + 0.35 * np.log(emp / 50.0) + d["amount_z"]), -1)
    return pd.DataFrame({
        "sales_status": _text(status),
        "status_at": _datetimes(status_t, pending | unworked),
        "closed_won": won,
        "won_at": _datetimes(won_t, ~won),
        "won_amount": np.where(won, amount, np.nan),
    })


def _new_list(
    rng: np.random.Generator, k: int, n: int, first_id: int, t_export: int, acc: _Accounts,
    history_accounts: np.ndarray,
) -> pd.DataFrame:
    """One new list (source ``k``) dated within two weeks after the export."""
    s = _SOURCES[k]
    src = np.full(n, k)
    midnight = -(-t_export // DAY) * DAY
    if s.timing == "new_expo":  # a two-day show a few days after the export
        day = 3 + rng.integers(0, 2, n)
        t = midnight + day * DAY + 9 * 3600 + rng.integers(0, 9 * 3600, n)
    else:  # registrations over the two weeks after the export
        t = midnight + rng.integers(3600, 14 * DAY, n)
    t = np.sort(t)
    weights = _account_weights(acc, s.accounts)
    unseen = weights.copy()
    unseen[history_accounts] = 0.0
    if s.timing == "new_webinar" and unseen.sum() > 0:
        weights = unseen / unseen.sum()  # newcomers, and below some accounts the history knows
    acct = rng.choice(len(acc.employees), n, p=weights)
    acct = np.where(rng.random(n) < s.no_company, -1, acct)
    if s.timing == "new_webinar" and len(history_accounts):
        w = np.where(acc.icp[history_accounts], 8.0, 1.0)
        known = rng.choice(history_accounts, n, p=w / w.sum())
        acct = np.where(rng.random(n) < 0.35, known, acct)
    d = _draw_contents(rng, src)
    acct = np.where(d["junk"], -1, acct)
    f = _fix_contents(d, slice(None), acct, acc)
    return _lead_frame(first_id, src, t, acct, d, f, acc)


def generate_demo_data(n_leads: int = 50_000, seed: int = 7, start: str = "2024-11-01", years: float = 2.0) -> DemoData:
    """A synthetic lead history of about ``n_leads`` leads over ``years`` years, two new lists, and the truth."""
    if n_leads < 100:
        raise ValueError(f"n_leads must be at least 100, got {n_leads}")
    if not years > 0:
        raise ValueError(f"years must be positive, got {years}")
    rng = np.random.default_rng(seed)
    t0 = int(pd.Timestamp(start).value // 1_000_000_000)
    period = int(round(years * 365.25 * DAY))
    export = t0 + period
    acc = _make_accounts(rng, max(300, int(n_leads * 0.35)))
    shares = np.array([s.share for s in _SOURCES[:_N_HISTORY_SOURCES]])
    counts = rng.multinomial(n_leads, shares / shares.sum())
    src = np.repeat(np.arange(_N_HISTORY_SOURCES), counts)
    t = np.concatenate([_lead_times(rng, _SOURCES[k], int(c), t0, period) for k, c in enumerate(counts)])
    order = np.argsort(t, kind="stable")
    src, t = src[order], t[order]
    acct, committee = _assign_accounts(rng, src, t, acc, t0, period)
    d = _draw_contents(rng, src)
    acct = np.where(d["junk"], -1, acct)
    returning = np.array([s.returning for s in _SOURCES])[src] & ~committee & ~d["junk"]
    sim = _simulate(rng, src, t, acct, returning, d, acc, t0, period)
    history = pd.concat(
        [_lead_frame(1, src, t, sim["acct"], d, sim, acc), _outcomes(src, t, d, sim, acc, export)], axis=1
    )
    truth = [pd.DataFrame({"lead_id": history["lead_id"], "p_accept_true": sim["p"]})]
    seen = np.unique(sim["acct"][sim["acct"] >= 0])
    new_lists: dict[str, pd.DataFrame] = {}
    next_id = n_leads + 1
    for name, k in (("prize_draw", _NEW_PRIZE), ("strong", _NEW_STRONG)):
        frame = _new_list(rng, k, _NEW_LIST_ROWS[name], next_id, export, acc, seen)
        next_id += len(frame)
        new_lists[name] = frame
        truth.append(pd.DataFrame({"lead_id": frame["lead_id"],
                                   "p_accept_true": true_accept_probability(frame, history).to_numpy()}))
    return DemoData(history=history, new_lists=new_lists, truth=pd.concat(truth, ignore_index=True))


# ----------------------------------------------------------------------------- files


def _csv_table(frame: pd.DataFrame) -> pa.Table:
    """An Arrow table with ISO 8601 date-times and true/false booleans, ready for CSV."""
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = np.datetime_as_string(values.to_numpy(dtype="datetime64[s]"), unit="s")
            columns[name] = pa.array(np.where(values.isna().to_numpy(), None, text), type=pa.string())
        else:
            columns[name] = pa.Array.from_pandas(values)
    return pa.table(columns)


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as CSV (text cells as they are, empty cells empty), atomically."""
    with atomic_path(path) as tmp:
        pa_csv.write_csv(_csv_table(frame), str(tmp), pa_csv.WriteOptions(quoting_style="needed"))
    return path


def write_demo_data(outdir: Path, n_leads: int = 50_000, seed: int = 7) -> dict[str, Path]:
    """Generate the demo data and write leads, new lists, truth and source spend as CSV files."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    data = generate_demo_data(n_leads=n_leads, seed=seed)
    spend = (data.history.groupby("source", sort=True)["cost"].sum().round(2)
             .rename("spend").reset_index())
    frames = {
        "leads": data.history,
        "new_prize_draw": data.new_lists["prize_draw"],
        "new_strong": data.new_lists["strong"],
        "truth": data.truth,
        "source_spend": spend,
    }
    return {name: _write_csv(frame, outdir / f"{name}.csv") for name, frame in frames.items()}
