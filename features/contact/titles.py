"""Job titles -> seniority level, business function and decision-maker flag.

Titles repeat a lot, so each distinct title is normalized (`leadsift.features.text.padded_words`)
and classified once.

- Seniority is the first level that matches, in this order: other-state (retired, unemployed,
  former/ex, placeholders such as "n/a", "none", "test"), student, c_level, owner, vp,
  director, head, manager, entry (junior, assistant, coordinator, clerk, secretary),
  senior_ic; junk-looking text -> other;
  any other text -> individual. So "Founder & CEO" is c_level, "EVP & CFO" c_level,
  "Co-founder" owner, "Sr. Director" director, "Sr. Mgr" manager.
- c_level includes President, Managing Director, General Manager, Executive Director,
  Chair(man), board members, Managing Partner and their local forms (Geschäftsführer,
  Vorstand, Directeur Général, PDG, Gérant, Gerente General, Director General, Amministratore
  Delegato, ...): the person who runs the company or unit. "Vice President" is vp.
- head: "Head of", Leiter/Leitung (Abteilungsleiter ...), Jefe de, Chef de service, Chief X
  without "Officer" (Chief Architect), General Counsel, Dean, school Principal.
- manager: Manager/Mgr, Supervisor, Team Lead(er), Teamleiter/Projektleiter, Gerente,
  Responsable, Chef de projet. "Lead Developer", "Senior Engineer", "Principal Engineer",
  "Staff Engineer" are senior_ic.
- "Assistant to the CEO" (and EA/PA/secretary to ...) is individual, "Student Services
  Director" is director, "Product Owner" is not an owner, "Lead Generation" is not a lead.
- Function: the first match in this order: teaching roles (education), legal, hr, finance,
  procurement, marketing, sales, it, engineering, operations, executive, then education
  settings (student, school, university); any other text -> other. CIO, CISO and CTO are
  it; CFO finance; CMO marketing; COO operations; ambiguous CxOs (CPO, CRO, CSO, CDO...)
  executive. Admin/assistant/customer service roles are operations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadsift.features.text import (
    MASHED,
    any_phrase,
    blank_mask,
    label_series,
    matches,
    padded_words,
    replace_where,
    sub,
    take,
    uniques,
    whole_phrase,
)

SENIORITY_LEVELS = (
    "c_level", "vp", "director", "head", "manager", "senior_ic", "individual", "entry", "owner", "student", "other",
    "unknown",
)
DECISION_LEVELS = ("c_level", "vp", "director", "head", "owner")
FUNCTIONS = (
    "executive", "it", "engineering", "finance", "procurement", "operations", "marketing", "sales", "hr", "legal",
    "education", "other", "unknown",
)

_TITLE_REWRITES = (
    # "Assistant to the CEO": the title names someone else's role
    (r" (?:assistant|assistante|assistent|assistentin|asistente|assistente|secretary|secretaria|secretaire"
     r"|sekretar[^ ]*|pa|ea|aide) (?:to|of|for|del|de|du|des|a|zum|zur|der) .*$", " assistant "),
    # "Student Services Director", "Intern Program Manager": student/intern is the object
    (r" (?:students?|interns?|internships?|trainees?|apprentices?|apprenticeships?) ((?:affairs|services?|success"
     r"|life|support|recruit[^ ]*|enrol[^ ]*|experience|engagement|records|development|housing|activities"
     r"|programs?|programmes?|accounts|finance|financial|loans?|admissions|retention|information|systems?"
     r"|advis[^ ]*|counsel[^ ]*|coordinator|manager|director|officer|relations|outreach|learning|data) )",
     r" \1"),
    (r" vice ?(?:presidents?|presidente|presidenta|pres) ", " vp "),
    (r" vize ?pr(?:a|ae)sident[^ ]* ", " vp "),
    (r" (product|process|service|application|system|systems|data|platform|technical|solution|content|risk"
     r"|control|asset|budget|feature|program|programme) owners? ", r" \1 roleowner "),
    (r" lead (?:generation|gen|nurturing|management|qualification) ", " leadgen "),
    (r" head ?hunters? ", " headhunter "),
    (r" head (?:office|quarters) ", " headoffice "),
    (r" (team|gruppen|projekt|schicht|bau|filial|kolonnen|lager)leiter[^ ]* ", r" \1 manager "),
    (r" chef (?:de |d )(projet|produit|equipe|rayon|chantier|groupe)s? ", r" \1 manager "),
    (r" data entry ", " dataentry "),
)
_REWRITE_ANY = "|".join(pattern for pattern, _ in _TITLE_REWRITES)

_OTHER_STATE = any_phrase(
    "retired", "retiree", "pensioner", r"pensionist\p{L}*", r"rentner\p{L}*", "ruhestand", r"pensionad[oa]",
    r"jubilad[oa]", r"retraite\p{L}*", "unemployed", "not employed", "not working", "jobless",
    r"arbeitslos\p{L}*", r"arbeitssuchend\p{L}*", r"desemplead[oa]", "sin empleo", "chomeur", "chomeuse",
    "sans emploi", "job ?seeker", "job seeking", r"looking for (?:work|a job|job|employment|\p{L}* ?opportunit\p{L}*)",
    r"seeking (?:employment|work|a job|\p{L}* ?opportunit\p{L}*)", "open to work", "between jobs",
    "career break", "in transition", "homemaker", "housewife", "househusband", "stay at home",
    r"hausfrau", "hausmann", "ama de casa", "femme au foyer", "homeowner", "former", "formerly", "ex",
)
_JUNK_TITLE = whole_phrase(
    "none", "no", "nothing", "nobody", "na", "n a", "nil", "null", "nan", "unknown", "unk", "not applicable",
    "not available", "not specified", "no title", "notitle", "no job", "no job title", "other", "others", "misc",
    "various", "varios", "tbd", "tba", "xyz", "abc", "test", "tests", "testing", "asdf", "qwerty", "xxx", "xx",
    "me", "myself", "self", "i", "private", "private person", "privatperson", "privat", "particulier",
    "particular", "personal", "person", "home", "individual", "private individual", "citizen", "customer",
    "client", "user", "guest", "visitor", "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "madame",
    "monsieur", "herr", "frau", "sr", "jr", "title", "job title", "jobtitle", "position", "role", "select",
    "please select", "choose", "hello", "hi", "ok", "yes", "lol", "idk", "dunno", "whatever", "nada",
    "keine", "kein", "ka", "keine angabe", "aucun", "aucune", "ninguno", "ninguna", "nd", "n d",
)
_STUDENT = any_phrase(
    r"students?", r"studentin\p{L}*", r"werkstudent\p{L}*", r"studierend\p{L}*", r"estudiantes?",
    r"etudiant\p{L}*", r"studente\p{L}*", "studentessa", r"alun[oa]s?", r"alumn[oa]s?", r"undergrad\p{L}*",
    r"postgrad\p{L}*", r"(?:mba|phd|jd|msc|ms|ma|mph|llm|doctoral|master s|masters|bachelor s) candidates?",
    r"doktorand\p{L}*", r"doctorant\p{L}*", r"interns?", r"internships?", r"trainees?", r"apprentice\p{L}*",
    r"praktikant\p{L}*", "azubi", r"auszubildend\p{L}*", "lehrling", r"stagiaire\p{L}*", r"alternant\p{L}*",
    r"becari[oa]s?", "pasante", "practicante", r"estagiari[oa]", "tirocinante", "stagista", "pupil",
    r"schuler\p{L}*", r"schueler\p{L}*", r"студент\p{L}*", r"стажер\p{L}*",
) + "|学生|實習|实习|インターン"
_C_LEVEL = any_phrase(
    r"c[a-z]o", "chro", "ciso", "cdao", "caio", "cxo", "pdg", "dg", r"chief(?: \p{L}+){0,5} officer",
    "chief executive", r"presidents?", "presidente", "presidenta", r"prasident\p{L}*", r"praesident\p{L}*",
    "prezes", r"managing director\p{L}*", "general manager", r"gerente general", r"director(?:a)? general",
    r"directeur general", "directrice generale", "direttore generale", r"diretor(?:a)? geral",
    r"generaldirektor\p{L}*", "algemeen directeur", r"geschaftsfuhr\p{L}*", r"geschaeftsfuehr\p{L}*",
    r"geschaftsleit\p{L}*", r"geschaeftsleit\p{L}*", r"vorstand\p{L}*", "amministratore delegato",
    "consejero delegado", "consigliere delegato", "executive director", r"executive chair\p{L}*",
    "chair", "chairman", "chairwoman", "chairperson", "board member", "member of the board",
    "board of directors", "non executive director", "supervisory board", r"aufsichtsrat\p{L}*",
    "managing partner", "gerant", "gerante", "c level", "c suite", r"генеральн\p{L}* директор\p{L}*",
) + "|总经理|總經理|董事长|董事長|首席执行官|社長|代表取締役|会長"
_OWNER = any_phrase(
    r"(?:co )?owners?", r"founders?", r"cofounders?", r"co founders?", r"propriet\p{L}*", r"propietari[oa]s?",
    "self employed", "selfemployed", r"freelanc\p{L}*", r"entrepreneur\p{L}*", "sole trader", "solopreneur",
    r"inhaber\p{L}*", r"mitinhaber\p{L}*", r"grunder\p{L}*", r"gruender\p{L}*", r"mitgrunder\p{L}*",
    r"unternehmer\p{L}*", r"selbst?st?andig\p{L}*", r"selbstaendig\p{L}*", r"freiberufl\p{L}*",
    r"gesellschafter\p{L}*", r"fondat(?:eur|rice)s?", r"cofondat(?:eur|rice)s?", "dueno", "duena",
    r"fundador\p{L}*", r"cofundador\p{L}*", r"autonom[oa]", r"empresari[oa]", r"eigenaar\p{L}*",
    r"oprichter\p{L}*", r"zelfstandig\p{L}*", "socio", "socia", "titolare", "imprenditore",
    r"владел\p{L}*", r"основател\p{L}*",
) + "|" + whole_phrase(r"(?:senior |founding |equity |general |name )?partners?")
_VP = any_phrase("vp", "vps", "svp", "evp", "avp", "gvp", "cvp", "rvp", "v p", r"vicepresident\p{L}*", "vicepresidente")
_DIRECTOR = any_phrase(
    r"(?:sub|co)?director(?:a|as|es|s)?", r"directeurs?", r"directrices?", r"direktor\p{L}*", r"diretor(?:a|es)?",
    "direttore", "direttrice", "dir", "dirs", r"prokurist\p{L}*", r"директор\p{L}*",
) + "|总监|總監"
_HEAD = any_phrase(
    "head", "heads", r"\p{L}*leiter(?:in|innen)?", r"leitung", "jefe", "jefa", "jefes", r"chef (?:de|du|des|d)",
    "hoofd", "chief", "general counsel", "dean", "headmaster", "headmistress", "headteacher", "school principal",
    "provost", "rector", r"руководител\p{L}*",
) + "|" + whole_phrase("principal") + "|部長"
_MANAGER = any_phrase(
    r"manager\p{L}*", "mgr", "mgrs", "mngr", "manger", r"supervis[oe]r\p{L}*", r"team lead\p{L}*",
    r"teamlead\p{L}*", r"group lead\p{L}*", "foreman", "forewoman", "gerente", "gerentes",
    r"encargad[oa]", r"responsable\p{L}*", "responsabile", "bedrijfsleider", "vorarbeiter", r"менеджер\p{L}*",
) + "|经理|經理|課長|マネージャー"
_JUNIOR = any_phrase(
    "junior", "jr", "jnr", "entry level", r"assistant\p{L}*", r"coordinator\p{L}*", "receptionist", "clerk",
    "secretary", "office administrator", "administrative", "asistente", "assistente", r"sekret[aä]r\p{L}*",
)
_SENIOR_IC = any_phrase(
    "senior", "sr", "snr", "lead", "leads", "leader", "principal",
    r"staff (?:engineer|scientist|software|developer|data|designer|product|architect)", "fellow", "distinguished",
)

_JUNK_SHAPE = (
    MASHED
    + r"|^ [a-z] $"          # a single Latin letter
    + r"|^[^\p{L}]*$"        # no letters at all: "-", "12345", "?"
)

_SENIORITY_RULES = tuple(
    (SENIORITY_LEVELS.index(level), pattern)
    for level, pattern in (
        ("other", _OTHER_STATE + "|" + _JUNK_TITLE),
        ("student", _STUDENT),
        ("c_level", _C_LEVEL),
        ("owner", _OWNER),
        ("vp", _VP),
        ("director", _DIRECTOR),
        ("head", _HEAD),
        ("manager", _MANAGER),
        ("entry", _JUNIOR),
        ("senior_ic", _SENIOR_IC),
        ("other", _JUNK_SHAPE),
    )
)

_FUNCTION_PATTERNS = (
    ("education", any_phrase(
        r"teacher\p{L}*", "teaching", r"professor\p{L}*", "prof", r"lecturer\p{L}*", r"instructor\p{L}*",
        r"tutor\p{L}*", "dean", "headmaster", "headmistress", "headteacher", "head teacher", "school principal",
        r"librarian\p{L}*", r"educator\p{L}*", r"lehrer\p{L}*", "lehrkraft", r"dozent\p{L}*", r"schulleit\p{L}*",
        r"professeur\p{L}*", r"enseignant\p{L}*", "instituteur", "institutrice", r"profesor\p{L}*", r"maestr[oa]",
        "docente", r"educador\p{L}*", r"pedagog\p{L}*",
    ) + "|" + whole_phrase("principal")),
    ("legal", any_phrase(
        r"legal\p{L}*", "counsel", r"attorney\p{L}*", r"lawyer\p{L}*", r"paralegal\p{L}*", "solicitor",
        "barrister", r"notar\p{L}*", "notary", "compliance", "regulatory", "privacy", "data protection", "dpo",
        "clo", "contracts", r"contract (?:manager|management|administrator|specialist)", r"jurist\p{L}*",
        "juriste", r"justi[tz]iar\p{L}*", r"syndikus\p{L}*", r"rechtsanw\p{L}*", r"anwalt\p{L}*", "recht",
        r"avocat\p{L}*", "juridique", r"abogad[oa]s?", r"juridic[oa]", "intellectual property", r"patent\p{L}*",
        "trademark", "ethics",
    )),
    ("hr", any_phrase(
        "hr", "hrbp", "hris", "hrm", r"human resources?", "human capital", "people", "talent", r"recruit\p{L}*",
        r"recrut\p{L}*", "hiring", "headhunter", "personnel", "personaler",
        r"personal(?:leit|referent|abteil|wesen|entwickl|sachbearbeit|chef|manage|berat|disponent)\p{L}*",
        "payroll", "compensation", "benefits", "c and b", "total rewards", "learning and development",
        "l and d", "training and development", "talent development", r"organi[sz]ational development",
        r"workforce\p{L}*", r"employee (?:relations|experience|engagement)", "chro", "rrhh", "recursos humanos",
        "ressources humaines", "rh", "drh", "risorse umane", r"nomina\p{L}*", "paie", r"lohn\p{L}*",
        "diversity", "inclusion", "dei",
    )),
    ("finance", any_phrase(
        "cfo", r"financ\p{L}*", r"finanz\p{L}*", "fiscal", r"accountant\p{L}*", "accounting",
        r"accounts (?:payable|receivable)", r"controller\p{L}*", "controlling", "comptroller", r"treasur\p{L}*",
        "tax", "taxes", "taxation", r"audit\p{L}*", r"bookkeep\p{L}*", "billing", r"invoic\p{L}*",
        r"credit\p{L}*", "collections", "fp and a", "m and a", "mergers", "investor relations", r"actuar\p{L}*",
        r"buchhalt\p{L}*", r"bilanz\p{L}*", r"steuer\p{L}*", "rechnungswesen", r"comptab\p{L}*",
        r"contab\p{L}*", r"contador\p{L}*", r"tesorer\p{L}*", r"tresorer\p{L}*", r"bank\p{L}*", r"invest\p{L}*",
        "wealth", "portfolio", "asset management", "risk", r"underwrit\p{L}*", r"loans?", "lending",
        r"mortgage\p{L}*", "payments", "budget", "budgeting", "economist", "cost",
    )),
    ("procurement", any_phrase(
        "procurement", r"procure\p{L}*", r"purchas\p{L}*", r"buyers?", "buying", "sourcing", r"supplier\p{L}*",
        r"vendor\p{L}*", r"category (?:manager|management|lead|buyer|director|specialist)", "spend",
        r"einkauf\p{L}*", r"einkaeufer\p{L}*", r"beschaffung\p{L}*", r"achat\p{L}*", r"acheteu\p{L}*",
        "approvisionnement", "compras?", r"comprador\p{L}*", r"adquisicion\p{L}*", "abastecimiento",
        "acquisti", r"inkoop\p{L}*", r"inkoper\p{L}*",
    )),
    ("marketing", any_phrase(
        "marketing", r"marketer\p{L}*", "cmo", r"brand\p{L}*", r"communications?", "comms", "pr",
        "public relations", "press", "media", "social", "content", "seo", "sem", "ppc", "growth",
        r"demand (?:gen\p{L}*|generation)", "leadgen", r"campaign\p{L}*", r"events?", r"advertis\p{L}*",
        "creative", r"copywrit\p{L}*", r"graphic\p{L}*", r"editor\p{L}*", r"journalist\p{L}*", "ecommerce",
        "e commerce", r"merchandis\p{L}*", "market", "insights", "community", "influencer", "affiliate",
        "mercadeo", "mercadotecnia", r"kommunikation\p{L}*", "werbung", r"presse\p{L}*", r"redakteur\p{L}*",
        r"comunicaci\p{L}*", "comunicazione", "publicidad", "publicite", "relations publiques",
        r"evenement\p{L}*",
    )),
    ("sales", any_phrase(
        "sales", "salesperson", "salesman", "saleswoman", "salespeople", "selling", r"sellers?",
        r"accounts? (?:manager|executive|director|exec|rep|representative|lead|management|planner)",
        r"key accounts?", r"business development\p{L}*", "biz dev", "bizdev", "bd", "bdr", "sdr", "bdm", "bde",
        "ae", "business developer", r"commercial\p{L}*", r"comercial\p{L}*", "revenue", "customer success",
        "client success", r"client (?:partner|director|executive|manager|relationship)", "relationship manager",
        r"partnerships?", r"partner (?:manager|development|program|account)", r"channel\p{L}*",
        r"alliance\p{L}*", "territory", "presales", "telesales", r"vertrieb\p{L}*", r"verkauf\p{L}*",
        r"verkaufer\p{L}*", r"kundenberat\p{L}*", r"aussendienst\p{L}*", "ventas?", r"vendedor\p{L}*",
        "ventes?", r"vendeu\p{L}*", "vendite", r"brokers?", r"dealers?",
    )),
    ("it", any_phrase(
        "it", "ict", "edv", "information technology", "information systems", "information security", "infosec",
        "chief information officer", "information management",
        "cio", "cto", "ciso", "cdo", "cdao", "technology", "technologies", r"tecnologia\p{L}*",
        r"technologie\p{L}*", "informatique", r"informatic\p{L}*", r"informatik\p{L}*", "sistemas", "system",
        "systems", r"sysadmin\p{L}*", r"network\p{L}*", r"netzwerk\p{L}*", "redes", "infrastructure",
        "infrastruktur", "security", r"cyber\p{L}*", r"database\p{L}*", "dba", "data", "datenbank", "donnees",
        "datos", "dati", "analytics", "bi", "business intelligence", "helpdesk", "help desk", "service desk",
        "servicedesk", "desktop", "cloud", "devops", "erp", "sap", "salesforce", "webmaster", r"computer\p{L}*",
        r"telecom\p{L}*", "digital", "machine learning", "ml", "ai", "artificial intelligence",
    )),
    ("engineering", any_phrase(
        r"engineer\p{L}*", r"ingenieur\p{L}*", r"ingenier\p{L}*", r"ingegner\p{L}*", r"engenheir\p{L}*",
        r"developers?", "development", "develop", r"entwickl\p{L}*", r"desarroll\p{L}*", r"developpe\p{L}*",
        r"programmer\p{L}*", "programming", r"programmier\p{L}*", r"programador\p{L}*", "coder", "coding",
        "software", "hardware", "firmware", "embedded", "r and d", r"research\p{L}*", r"scientist\p{L}*",
        "science", r"wissenschaft\p{L}*", r"forschung\p{L}*", "recherche", "products?", "roleowner", "technical",
        r"technik\p{L}*", r"technique\p{L}*", r"tecnic[oa]s?", r"technician\p{L}*", r"architect\p{L}*",
        r"architekt\p{L}*", r"arquitect\p{L}*", "qa", "sre", "site reliability", "ux", "ui", "user experience",
        "mechanical", "electrical", r"chemist\p{L}*",
    )),
    ("operations", any_phrase(
        r"operations?", "operating", "operational", "ops", "coo", r"logistic\p{L}*", r"logistik\p{L}*",
        "logistique", "logistica", "supply chain", r"warehous\p{L}*", r"lager\p{L}*", r"facilit\p{L}*",
        "production", r"produktion\p{L}*", "produccion", r"manufactur\p{L}*", r"fertigung\p{L}*", "plant",
        "factory", "quality", r"qualitat\p{L}*", "calidad", "qualite", "maintenance", "instandhaltung",
        "mantenimiento", "fleet", "shipping", "distribution", "inventory", r"dispatch\p{L}*", "office",
        r"admin\p{L}*", r"assistant\p{L}*", r"assistent\p{L}*", "asistente", r"secretar\p{L}*",
        r"sekretar\p{L}*", r"receptionist\p{L}*", "reception", "empfang", "dataentry",
        r"customer (?:service|support|care|experience)", "client services", "support", "services?",
        "kundenservice", "kundendienst", r"projects?", r"projekt\p{L}*", r"proyecto\p{L}*", r"projet\p{L}*",
        r"programs?", r"programmes?", r"process\p{L}*", "lean", "six sigma", "continuous improvement",
        r"planners?", "planning", r"planung\p{L}*", r"transport\p{L}*", r"drivers?", "store", "branch", "site",
        r"betrieb\p{L}*", "operaciones", "exploitation", "health and safety", "hse", "ehs", "safety",
    )),
    ("executive", any_phrase(
        "ceo", "chief executive", r"c[a-z]o", "cxo", r"presidents?", "presidente", r"pr(?:a|ae)sident\p{L}*",
        r"chair\p{L}*", "board", r"founders?", r"cofounders?", r"owners?", r"propriet\p{L}*", "partner",
        r"managing director\p{L}*", "general manager", "gm", "executive director", "executive",
        r"geschaftsfuhr\p{L}*", r"geschaeftsfuehr\p{L}*", r"geschaftsleit\p{L}*", r"inhaber\p{L}*",
        r"gr(?:u|ue)nder\p{L}*", r"vorstand\p{L}*", r"unternehmer\p{L}*", r"gesellschafter\p{L}*",
        "directeur general", "directrice generale", "pdg", "dg", "gerant", "gerante", r"fondat\p{L}*",
        r"cofondat\p{L}*", r"director(?:a)? general", "gerente general", "dueno", "duena", r"propietari\p{L}*",
        r"fundador\p{L}*", r"cofundador\p{L}*", r"empresari[oa]", "consejero delegado",
        "amministratore delegato", "titolare", r"eigenaar\p{L}*", r"oprichter\p{L}*", "algemeen directeur",
        "self employed", r"freelanc\p{L}*", r"entrepreneur\p{L}*", r"selbst?st?andig\p{L}*", "chief of staff",
        "chief", "c level", "c suite", "socio", "socia", r"генеральн\p{L}* директор\p{L}*",
    ) + "|总经理|總經理|董事长|董事長|社長"),
    ("education", any_phrase(
        r"students?", r"school\p{L}*", r"universit\p{L}*", "college", r"academ\p{L}*", r"education\p{L}*",
        "educacion", "bildung", "curriculum", "faculty", "phd", r"doktorand\p{L}*", r"estudiantes?",
        r"etudiant\p{L}*", r"alumn\p{L}*", r"werkstudent\p{L}*", r"studierend\p{L}*",
    ) + "|学生"),
)
_FUNCTION_RULES = tuple((FUNCTIONS.index(name), pattern) for name, pattern in _FUNCTION_PATTERNS)


def _first_match(text: pa.Array, rules: tuple[tuple[int, str], ...], default: int) -> np.ndarray:
    """Per element, the code of the first rule whose pattern matches, else `default`."""
    out = np.full(len(text), -1, dtype=np.int8)
    for code, pattern in rules:
        todo = np.flatnonzero(out < 0)
        if todo.size == 0:
            break
        hit = matches(pc.take(text, pa.array(todo)), pattern)
        out[todo[hit]] = code
    out[out < 0] = default
    return out


def _title_text(values: pa.Array) -> pa.Array:
    """Job titles as normalized, space-padded words with the role rewrites applied."""
    text = padded_words(values, join_initials=True)
    touched = matches(text, _REWRITE_ANY)

    def rewrite(part: pa.Array) -> pa.Array:
        for pattern, replacement in _TITLE_REWRITES:
            part = sub(part, pattern, replacement)
        return part

    return replace_where(text, touched, rewrite)


def _seniority_codes(job_title: pd.Series) -> np.ndarray:
    """Per row, the index into SENIORITY_LEVELS."""
    codes, values = uniques(job_title)
    per_unique = _first_match(_title_text(values), _SENIORITY_RULES, SENIORITY_LEVELS.index("individual"))
    per_unique[blank_mask(values)] = SENIORITY_LEVELS.index("unknown")
    return take(per_unique, codes, SENIORITY_LEVELS.index("unknown"))


def title_seniority(job_title: pd.Series) -> pd.Series:
    """Seniority level of a free-text job title (values from SENIORITY_LEVELS)."""
    return label_series(_seniority_codes(job_title), SENIORITY_LEVELS, job_title.index)


def title_function(job_title: pd.Series) -> pd.Series:
    """Business function of a free-text job title (values from FUNCTIONS)."""
    codes, values = uniques(job_title)
    per_unique = _first_match(_title_text(values), _FUNCTION_RULES, FUNCTIONS.index("other"))
    per_unique[blank_mask(values)] = FUNCTIONS.index("unknown")
    return label_series(take(per_unique, codes, FUNCTIONS.index("unknown")), FUNCTIONS, job_title.index)


def is_decision_maker(job_title: pd.Series) -> pd.Series:
    """True when the title's seniority is c_level, vp, director, head or owner."""
    deciders = np.array([level in DECISION_LEVELS for level in SENIORITY_LEVELS])
    return pd.Series(deciders[_seniority_codes(job_title)], index=job_title.index, dtype=bool)
