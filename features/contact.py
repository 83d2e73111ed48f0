"""Contact and company features of a lead: who the person is, how reachable, which account.

Every function takes pandas Series of any dtype (NaN, None, blanks and junk included) and
returns a new Series on the same index; inputs are never modified. Categorical outputs are
dtype `str` over a closed vocabulary (the tuples below); flags are dtype bool.

Text work runs in pyarrow compute (RE2 regexes). Titles, domains and company names repeat a
lot, so those are factorized and classified once per unique value; e-mails and phones are
mostly unique and are processed as whole columns. Titles are matched on a normalized form:
lowercase, accents stripped, dotted abbreviations joined ("V.P." -> "vp"), "&" -> "and",
punctuation -> single spaces.

Decisions a caller should know:
- Functions of two or three Series take the index of the first; the others are used as they
  are when their index is equal, else aligned to it by label.
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
- Free-mail providers (`FREE_MAIL_DOMAINS`, plus the yahoo.*, hotmail.*, outlook.*, live.*,
  gmx.*, yandex.*, proton(mail).* families) are personal even when the lead's
  company_domain is that provider, and such a company_domain never becomes an account.
  Placeholder and disposable domains (example.com, mailinator.com, *.test ...) and
  placeholder mailboxes (test@, noreply@, noemail@ ...) make an e-mail invalid.
- account_key reduces domains to the registrable domain ("eu.acme.co.uk" -> "acme.co.uk",
  but "acme.myshopify.com" stays), so subdomain e-mails join their company's account.
- is_junk_name: an initial beside a real name ("J. Smith") is fine; names that are only
  initials ("J", "A A"), contain digits, e-mail/URL bits, placeholder words, keyboard mashes,
  famous fake pairs, or repeat the same 3+ letter word as first and last name are junk.
- phone_quality: 7-15 digits (an extension and a leading 00 are ignored) is ok; fewer or more,
  all one digit in the last seven, a 7-digit ascending/descending run, US 555-01xx fictional
  numbers and Excel scientific notation ("4.9151E+12") are invalid.
- size_band: 0, negative, NaN and non-numbers are unknown; strings may use thousands
  separators, "5000+", "1k", or ranges such as "51-200" (the lower bound counts).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SENIORITY_LEVELS = (
    "c_level", "vp", "director", "head", "manager", "senior_ic", "individual", "entry", "owner", "student", "other",
    "unknown",
)
DECISION_LEVELS = ("c_level", "vp", "director", "head", "owner")
FUNCTIONS = (
    "executive", "it", "engineering", "finance", "procurement", "operations", "marketing", "sales", "hr", "legal",
    "education", "other", "unknown",
)
EMAIL_KINDS = ("company_match", "company_other", "personal", "invalid", "missing")
PHONE_QUALITIES = ("ok", "invalid", "missing")
SIZE_BANDS = ("1-9", "10-49", "50-199", "200-999", "1000-4999", "5000+", "unknown")
SIZE_EDGES = (1, 10, 50, 200, 1000, 5000)  # lower bounds of the bands, in head count

FREE_MAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "passport.com", "windowslive.com", "aol.com", "aim.com", "icloud.com", "me.com",
    "mac.com", "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "gmx.us", "web.de", "t-online.de",
    "freenet.de", "arcor.de", "posteo.de", "mailbox.org", "mail.de", "online.de", "mail.ru", "inbox.ru",
    "list.ru", "bk.ru", "rambler.ru", "ya.ru", "yandex.ru", "yandex.com", "protonmail.com", "protonmail.ch",
    "proton.me", "pm.me", "tutanota.com", "tutanota.de", "tuta.io", "zoho.com", "zohomail.com", "zohomail.eu",
    "qq.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com",
    "foxmail.com", "naver.com", "hanmail.net", "daum.net", "kakao.com", "rediffmail.com", "libero.it",
    "virgilio.it", "tiscali.it", "alice.it", "tin.it", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net",
    "sfr.fr", "neuf.fr", "bluewin.ch", "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "op.pl",
    "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "ntlworld.com", "blueyonder.co.uk",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "charter.net", "cox.net",
    "earthlink.net", "optonline.net", "frontier.com", "juno.com", "netzero.net", "rogers.com", "shaw.ca",
    "sympatico.ca", "telus.net", "bigpond.com", "optusnet.com.au", "uol.com.br", "bol.com.br", "terra.com.br",
    "mail.com", "email.com", "usa.com", "inbox.com", "fastmail.com", "fastmail.fm", "hushmail.com", "lycos.com",
    "excite.com", "hey.com", "duck.com", "skiff.com",
})
_FREE_MAIL_FAMILIES = (
    "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "windowslive", "gmx", "yandex",
    "proton", "protonmail", "aol",
)
PLACEHOLDER_DOMAINS: frozenset[str] = frozenset({
    "example.com", "example.org", "example.net", "test.com", "test.de", "testing.com", "domain.com",
    "yourdomain.com", "mydomain.com", "yourcompany.com", "mycompany.com", "company.com", "noemail.com",
    "no-email.com", "nomail.com", "none.com", "asdf.com", "xxx.com", "fake.com", "email.invalid",
    "mailinator.com", "yopmail.com", "guerrillamail.com", "sharklasers.com", "10minutemail.com", "tempmail.com",
    "temp-mail.org", "trashmail.com", "getnada.com", "dispostable.com", "throwawaymail.com", "maildrop.cc",
    "mintemail.com", "fakeinbox.com", "spamgourmet.com", "mailnesia.com", "mohmal.com", "emailondeck.com",
})
_RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")
_SECOND_LEVELS = (  # "acme.co.uk": the registrable domain has three labels
    "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "mil", "ltd", "plc", "sch",
    "nhs", "govt", "nic", "gv", "gouv", "gc", "ed", "lg", "res", "nom", "ltda",
)
_SHARED_HOSTS = (  # "acme.myshopify.com": each customer of the host is its own account
    "myshopify.com", "github.io", "gitlab.io", "wixsite.com", "blogspot.com", "wordpress.com", "herokuapp.com",
    "netlify.app", "vercel.app", "squarespace.com", "webflow.io", "azurewebsites.net", "cloudfront.net",
    "appspot.com", "firebaseapp.com", "web.app", "pages.dev", "weebly.com", "godaddysites.com",
    "sharepoint.com", "business.site", "square.site", "carrd.co", "notion.site", "substack.com",
)
LEGAL_SUFFIXES = (
    "inc", "incorporated", "llc", "llp", "lllp", "lp", "pllc", "pc", "ltd", "limited", "plc", "corp",
    "corporation", "co", "company", "cos", "pty", "pte", "pvt", "private", "gmbh", "mbh", "ag", "kg", "kgaa",
    "ohg", "gbr", "ug", "ev", "eg", "se", "sa", "sas", "sasu", "sarl", "eurl", "sca", "sl", "slu", "srl",
    "spa", "sapa", "snc", "bv", "nv", "vof", "ab", "as", "asa", "aps", "oy", "oyj", "hf", "kk", "sdn bhd",
    "bhd", "tbk", "ltda", "sapi", "de cv", "de rl", "ltee", "cie", "sro", "zrt", "kft", "doo", "dd", "sp z oo",
    "and", "com",
)


# --------------------------------------------------------------------------- plumbing


def _text(s: pd.Series) -> pd.Series:
    """Any Series as dtype str; NA stays NA."""
    return s.astype("str")


def _arrow(s: pd.Series) -> pa.Array:
    """A Series' values as a pyarrow large_string array (NA -> null)."""
    arr = pa.array(_text(s).array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _uniques(s: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes per row (-1 for NA) and the unique non-NA values as pyarrow strings."""
    return _encoded(_arrow(s))


def _encoded(arr: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """`_uniques` of a pyarrow string array."""
    encoded = pc.dictionary_encode(arr)
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False), encoded.dictionary


def _aligned(s: pd.Series, index: pd.Index) -> pd.Series:
    """`s` lined up with `index`: as is when the indexes are equal, else by label."""
    return s if s.index.equals(index) else s.reindex(index)


def _take(per_unique: np.ndarray, codes: np.ndarray, missing: object) -> np.ndarray:
    """Per-row values from per-unique values; NA rows (code -1) get `missing`."""
    return np.append(per_unique, np.asarray([missing], dtype=per_unique.dtype))[codes]


def _take_text(per_unique: pa.Array, codes: np.ndarray) -> pa.Array:
    """Per-row strings from per-unique strings; NA rows become null."""
    return pc.take(per_unique, pa.array(codes, mask=codes < 0))


def _str_series(arr: pa.Array, index: pd.Index) -> pd.Series:
    """A pyarrow string array as a dtype str Series (null -> NaN)."""
    values = pd.arrays.ArrowStringArray(arr.cast(pa.large_string()), dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return pd.Series(values, index=index)


def _labels(codes: np.ndarray, vocab: tuple[str, ...], index: pd.Index) -> pd.Series:
    """Integer codes into `vocab` as a dtype str Series."""
    labels = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int8()), pa.array(vocab, type=pa.large_string()))
    return _str_series(labels.cast(pa.large_string()), index)


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """Bool per element: the RE2 pattern occurs (null -> False)."""
    return pc.match_substring_regex(arr, pattern).fill_null(False).to_numpy(zero_copy_only=False)


def _sub(arr: pa.Array, pattern: str, replacement: str) -> pa.Array:
    return pc.replace_substring_regex(arr, pattern=pattern, replacement=replacement)


def _blank(arr: pa.Array) -> np.ndarray:
    """Bool per element: null, empty or only whitespace."""
    # No trimmed copy of the text: utf8_is_space takes the same characters for whitespace as
    # utf8_trim_whitespace (checked over every code point).
    blank = pc.or_kleene(pc.equal(pc.binary_length(arr), 0), pc.utf8_is_space(arr))
    return blank.fill_null(True).to_numpy(zero_copy_only=False)


def _first_match(text: pa.Array, rules: tuple[tuple[int, str], ...], default: int) -> np.ndarray:
    """Per element, the code of the first rule whose pattern matches, else `default`."""
    out = np.full(len(text), -1, dtype=np.int8)
    for code, pattern in rules:
        todo = np.flatnonzero(out < 0)
        if todo.size == 0:
            break
        hit = _matches(pc.take(text, pa.array(todo)), pattern)
        out[todo[hit]] = code
    out[out < 0] = default
    return out


_SPACE = pa.scalar(" ", pa.large_string())
_NULL = pa.scalar(None, pa.large_string())


def _join(*parts: pa.Array | pa.Scalar) -> pa.Array:
    """Element-wise concatenation of strings (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))


def _phrases(alternatives: tuple[str, ...]) -> str:
    # In normalized text a word is a run of non-spaces; "[^ ]" keeps RE2 in its fast DFA
    # where the equivalent \p{L} blows up its state budget.
    return "|".join(alternatives).replace(r"\p{L}", "[^ ]")


def _any(*alternatives: str) -> str:
    """Pattern: one of the phrases as whole words of space-padded normalized text."""
    return " (?:" + _phrases(alternatives) + ") "


def _whole(*alternatives: str) -> str:
    """Pattern: the whole space-padded normalized text is one of the phrases."""
    return "^ (?:" + _phrases(alternatives) + ") $"


def _literal(words: frozenset[str] | tuple[str, ...]) -> str:
    return "|".join(w.replace(".", r"\.").replace("-", r"\-") for w in sorted(words))


_FOLDS = (("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ø", "o"), ("ł", "l"), ("đ", "d"), ("ı", "i"), ("þ", "th"))


def _replace_where(arr: pa.Array, mask: np.ndarray, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """`change` applied only to the elements under `mask` (cheap when few are)."""
    if not mask.any():
        return arr
    return pc.replace_with_mask(arr, pa.array(mask), change(pc.filter(arr, pa.array(mask))))


def _fold(arr: pa.Array) -> pa.Array:
    """Non-ASCII text without accents, ligatures and non-letter symbols ("geschäftsführer" ->
    "geschaftsfuhrer"); expects lowercase."""
    out = _sub(pc.utf8_normalize(arr, form="NFKD"), r"\p{Mn}+", "")
    for old, new in _FOLDS:
        out = pc.replace_substring(out, old, new)
    return _sub(out, r"[^\p{L}\p{N}.&]+", " ")  # "." and "&" are dealt with below


def _words(arr: pa.Array, join_initials: bool) -> pa.Array:
    """Lowercase text as space-padded words without accents or punctuation: " vp of it "."""
    out = pc.utf8_lower(arr)
    out = _replace_where(out, ~pc.string_is_ascii(out).fill_null(True).to_numpy(zero_copy_only=False), _fold)
    if join_initials:
        out = _sub_where(out, ".", r"\b([a-z])\.", r"\1")  # "v.p." -> "vp", "s.a." -> "sa"
    out = pc.replace_substring(out, "&", " and ")
    out = _sub(out, r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+", " ")  # ASCII punctuation, spaces, controls
    return _join(_SPACE, pc.utf8_trim_whitespace(out), _SPACE)


def _sub_where(arr: pa.Array, literal: str, pattern: str, replacement: str) -> pa.Array:
    """`_sub` applied only to the elements that contain `literal`."""
    mask = pc.match_substring(arr, literal).fill_null(False).to_numpy(zero_copy_only=False)
    return _replace_where(arr, mask, lambda part: _sub(part, pattern, replacement))


# --------------------------------------------------------------------------- job titles

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

_OTHER_STATE = _any(
    "retired", "retiree", "pensioner", r"pensionist\p{L}*", r"rentner\p{L}*", "ruhestand", r"pensionad[oa]",
    r"jubilad[oa]", r"retraite\p{L}*", "unemployed", "not employed", "not working", "jobless",
    r"arbeitslos\p{L}*", r"arbeitssuchend\p{L}*", r"desemplead[oa]", "sin empleo", "chomeur", "chomeuse",
    "sans emploi", "job ?seeker", "job seeking", r"looking for (?:work|a job|job|employment|\p{L}* ?opportunit\p{L}*)",
    r"seeking (?:employment|work|a job|\p{L}* ?opportunit\p{L}*)", "open to work", "between jobs",
    "career break", "in transition", "homemaker", "housewife", "househusband", "stay at home",
    r"hausfrau", "hausmann", "ama de casa", "femme au foyer", "homeowner", "former", "formerly", "ex",
)
_JUNK_TITLE = _whole(
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
_STUDENT = _any(
    r"students?", r"studentin\p{L}*", r"werkstudent\p{L}*", r"studierend\p{L}*", r"estudiantes?",
    r"etudiant\p{L}*", r"studente\p{L}*", "studentessa", r"alun[oa]s?", r"alumn[oa]s?", r"undergrad\p{L}*",
    r"postgrad\p{L}*", r"(?:mba|phd|jd|msc|ms|ma|mph|llm|doctoral|master s|masters|bachelor s) candidates?",
    r"doktorand\p{L}*", r"doctorant\p{L}*", r"interns?", r"internships?", r"trainees?", r"apprentice\p{L}*",
    r"praktikant\p{L}*", "azubi", r"auszubildend\p{L}*", "lehrling", r"stagiaire\p{L}*", r"alternant\p{L}*",
    r"becari[oa]s?", "pasante", "practicante", r"estagiari[oa]", "tirocinante", "stagista", "pupil",
    r"schuler\p{L}*", r"schueler\p{L}*", r"студент\p{L}*", r"стажер\p{L}*",
) + "|学生|實習|实习|インターン"
_C_LEVEL = _any(
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
_OWNER = _any(
    r"(?:co )?owners?", r"founders?", r"cofounders?", r"co founders?", r"propriet\p{L}*", r"propietari[oa]s?",
    "self employed", "selfemployed", r"freelanc\p{L}*", r"entrepreneur\p{L}*", "sole trader", "solopreneur",
    r"inhaber\p{L}*", r"mitinhaber\p{L}*", r"grunder\p{L}*", r"gruender\p{L}*", r"mitgrunder\p{L}*",
    r"unternehmer\p{L}*", r"selbst?st?andig\p{L}*", r"selbstaendig\p{L}*", r"freiberufl\p{L}*",
    r"gesellschafter\p{L}*", r"fondat(?:eur|rice)s?", r"cofondat(?:eur|rice)s?", "dueno", "duena",
    r"fundador\p{L}*", r"cofundador\p{L}*", r"autonom[oa]", r"empresari[oa]", r"eigenaar\p{L}*",
    r"oprichter\p{L}*", r"zelfstandig\p{L}*", "socio", "socia", "titolare", "imprenditore",
    r"владел\p{L}*", r"основател\p{L}*",
) + "|" + _whole(r"(?:senior |founding |equity |general |name )?partners?")
_VP = _any("vp", "vps", "svp", "evp", "avp", "gvp", "cvp", "rvp", "v p", r"vicepresident\p{L}*", "vicepresidente")
_DIRECTOR = _any(
    r"(?:sub|co)?director(?:a|as|es|s)?", r"directeurs?", r"directrices?", r"direktor\p{L}*", r"diretor(?:a|es)?",
    "direttore", "direttrice", "dir", "dirs", r"prokurist\p{L}*", r"директор\p{L}*",
) + "|总监|總監"
_HEAD = _any(
    "head", "heads", r"\p{L}*leiter(?:in|innen)?", r"leitung", "jefe", "jefa", "jefes", r"chef (?:de|du|des|d)",
    "hoofd", "chief", "general counsel", "dean", "headmaster", "headmistress", "headteacher", "school principal",
    "provost", "rector", r"руководител\p{L}*",
) + "|" + _whole("principal") + "|部長"
_MANAGER = _any(
    r"manager\p{L}*", "mgr", "mgrs", "mngr", "manger", r"supervis[oe]r\p{L}*", r"team lead\p{L}*",
    r"teamlead\p{L}*", r"group lead\p{L}*", "foreman", "forewoman", "gerente", "gerentes",
    r"encargad[oa]", r"responsable\p{L}*", "responsabile", "bedrijfsleider", "vorarbeiter", r"менеджер\p{L}*",
) + "|经理|經理|課長|マネージャー"
_JUNIOR = _any(
    "junior", "jr", "jnr", "entry level", r"assistant\p{L}*", r"coordinator\p{L}*", "receptionist", "clerk",
    "secretary", "office administrator", "administrative", "asistente", "assistente", r"sekret[aä]r\p{L}*",
)
_SENIOR_IC = _any(
    "senior", "sr", "snr", "lead", "leads", "leader", "principal",
    r"staff (?:engineer|scientist|software|developer|data|designer|product|architect)", "fellow", "distinguished",
)
_KEYBOARD_RUNS = (
    "qwer", "rtyu", "tyui", "yuio", "uiop", "asdf", "sdfg", "dfgh", "fghj", "ghjk", "hjkl", "zxcv", "xcvb",
    "cvbn", "vbnm", "azert", "fdsa", "lkjh", "poiu", "mnbv",
)
_TRIPLE_LETTER = "|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz")
_JUNK_SHAPE = (
    "|".join(_KEYBOARD_RUNS) + "|" + _TRIPLE_LETTER
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
    ("education", _any(
        r"teacher\p{L}*", "teaching", r"professor\p{L}*", "prof", r"lecturer\p{L}*", r"instructor\p{L}*",
        r"tutor\p{L}*", "dean", "headmaster", "headmistress", "headteacher", "head teacher", "school principal",
        r"librarian\p{L}*", r"educator\p{L}*", r"lehrer\p{L}*", "lehrkraft", r"dozent\p{L}*", r"schulleit\p{L}*",
        r"professeur\p{L}*", r"enseignant\p{L}*", "instituteur", "institutrice", r"profesor\p{L}*", r"maestr[oa]",
        "docente", r"educador\p{L}*", r"pedagog\p{L}*",
    ) + "|" + _whole("principal")),
    ("legal", _any(
        r"legal\p{L}*", "counsel", r"attorney\p{L}*", r"lawyer\p{L}*", r"paralegal\p{L}*", "solicitor",
        "barrister", r"notar\p{L}*", "notary", "compliance", "regulatory", "privacy", "data protection", "dpo",
        "clo", "contracts", r"contract (?:manager|management|administrator|specialist)", r"jurist\p{L}*",
        "juriste", r"justi[tz]iar\p{L}*", r"syndikus\p{L}*", r"rechtsanw\p{L}*", r"anwalt\p{L}*", "recht",
        r"avocat\p{L}*", "juridique", r"abogad[oa]s?", r"juridic[oa]", "intellectual property", r"patent\p{L}*",
        "trademark", "ethics",
    )),
    ("hr", _any(
        "hr", "hrbp", "hris", "hrm", r"human resources?", "human capital", "people", "talent", r"recruit\p{L}*",
        r"recrut\p{L}*", "hiring", "headhunter", "personnel", "personaler",
        r"personal(?:leit|referent|abteil|wesen|entwickl|sachbearbeit|chef|manage|berat|disponent)\p{L}*",
        "payroll", "compensation", "benefits", "c and b", "total rewards", "learning and development",
        "l and d", "training and development", "talent development", r"organi[sz]ational development",
        r"workforce\p{L}*", r"employee (?:relations|experience|engagement)", "chro", "rrhh", "recursos humanos",
        "ressources humaines", "rh", "drh", "risorse umane", r"nomina\p{L}*", "paie", r"lohn\p{L}*",
        "diversity", "inclusion", "dei",
    )),
    ("finance", _any(
        "cfo", r"financ\p{L}*", r"finanz\p{L}*", "fiscal", r"accountant\p{L}*", "accounting",
        r"accounts (?:payable|receivable)", r"controller\p{L}*", "controlling", "comptroller", r"treasur\p{L}*",
        "tax", "taxes", "taxation", r"audit\p{L}*", r"bookkeep\p{L}*", "billing", r"invoic\p{L}*",
        r"credit\p{L}*", "collections", "fp and a", "m and a", "mergers", "investor relations", r"actuar\p{L}*",
        r"buchhalt\p{L}*", r"bilanz\p{L}*", r"steuer\p{L}*", "rechnungswesen", r"comptab\p{L}*",
        r"contab\p{L}*", r"contador\p{L}*", r"tesorer\p{L}*", r"tresorer\p{L}*", r"bank\p{L}*", r"invest\p{L}*",
        "wealth", "portfolio", "asset management", "risk", r"underwrit\p{L}*", r"loans?", "lending",
        r"mortgage\p{L}*", "payments", "budget", "budgeting", "economist", "cost",
    )),
    ("procurement", _any(
        "procurement", r"procure\p{L}*", r"purchas\p{L}*", r"buyers?", "buying", "sourcing", r"supplier\p{L}*",
        r"vendor\p{L}*", r"category (?:manager|management|lead|buyer|director|specialist)", "spend",
        r"einkauf\p{L}*", r"einkaeufer\p{L}*", r"beschaffung\p{L}*", r"achat\p{L}*", r"acheteu\p{L}*",
        "approvisionnement", "compras?", r"comprador\p{L}*", r"adquisicion\p{L}*", "abastecimiento",
        "acquisti", r"inkoop\p{L}*", r"inkoper\p{L}*",
    )),
    ("marketing", _any(
        "marketing", r"marketer\p{L}*", "cmo", r"brand\p{L}*", r"communications?", "comms", "pr",
        "public relations", "press", "media", "social", "content", "seo", "sem", "ppc", "growth",
        r"demand (?:gen\p{L}*|generation)", "leadgen", r"campaign\p{L}*", r"events?", r"advertis\p{L}*",
        "creative", r"copywrit\p{L}*", r"graphic\p{L}*", r"editor\p{L}*", r"journalist\p{L}*", "ecommerce",
        "e commerce", r"merchandis\p{L}*", "market", "insights", "community", "influencer", "affiliate",
        "mercadeo", "mercadotecnia", r"kommunikation\p{L}*", "werbung", r"presse\p{L}*", r"redakteur\p{L}*",
        r"comunicaci\p{L}*", "comunicazione", "publicidad", "publicite", "relations publiques",
        r"evenement\p{L}*",
    )),
    ("sales", _any(
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
    ("it", _any(
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
    ("engineering", _any(
        r"engineer\p{L}*", r"ingenieur\p{L}*", r"ingenier\p{L}*", r"ingegner\p{L}*", r"engenheir\p{L}*",
        r"developers?", "development", "develop", r"entwickl\p{L}*", r"desarroll\p{L}*", r"developpe\p{L}*",
        r"programmer\p{L}*", "programming", r"programmier\p{L}*", r"programador\p{L}*", "coder", "coding",
        "software", "hardware", "firmware", "embedded", "r and d", r"research\p{L}*", r"scientist\p{L}*",
        "science", r"wissenschaft\p{L}*", r"forschung\p{L}*", "recherche", "products?", "roleowner", "technical",
        r"technik\p{L}*", r"technique\p{L}*", r"tecnic[oa]s?", r"technician\p{L}*", r"architect\p{L}*",
        r"architekt\p{L}*", r"arquitect\p{L}*", "qa", "sre", "site reliability", "ux", "ui", "user experience",
        "mechanical", "electrical", r"chemist\p{L}*",
    )),
    ("operations", _any(
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
    ("executive", _any(
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
    ("education", _any(
        r"students?", r"school\p{L}*", r"universit\p{L}*", "college", r"academ\p{L}*", r"education\p{L}*",
        "educacion", "bildung", "curriculum", "faculty", "phd", r"doktorand\p{L}*", r"estudiantes?",
        r"etudiant\p{L}*", r"alumn\p{L}*", r"werkstudent\p{L}*", r"studierend\p{L}*",
    ) + "|学生"),
)
_FUNCTION_RULES = tuple((FUNCTIONS.index(name), pattern) for name, pattern in _FUNCTION_PATTERNS)


def _title_text(values: pa.Array) -> pa.Array:
    """Job titles as normalized, space-padded words with the role rewrites applied."""
    text = _words(values, join_initials=True)
    touched = _matches(text, _REWRITE_ANY)

    def rewrite(part: pa.Array) -> pa.Array:
        for pattern, replacement in _TITLE_REWRITES:
            part = _sub(part, pattern, replacement)
        return part

    return _replace_where(text, touched, rewrite)


def _seniority_codes(job_title: pd.Series) -> np.ndarray:
    """Per row, the index into SENIORITY_LEVELS."""
    codes, values = _uniques(job_title)
    per_unique = _first_match(_title_text(values), _SENIORITY_RULES, SENIORITY_LEVELS.index("individual"))
    per_unique[_blank(values)] = SENIORITY_LEVELS.index("unknown")
    return _take(per_unique, codes, SENIORITY_LEVELS.index("unknown"))


def title_seniority(job_title: pd.Series) -> pd.Series:
    """Seniority level of a free-text job title (values from SENIORITY_LEVELS)."""
    return _labels(_seniority_codes(job_title), SENIORITY_LEVELS, job_title.index)


def title_function(job_title: pd.Series) -> pd.Series:
    """Business function of a free-text job title (values from FUNCTIONS)."""
    codes, values = _uniques(job_title)
    per_unique = _first_match(_title_text(values), _FUNCTION_RULES, FUNCTIONS.index("other"))
    per_unique[_blank(values)] = FUNCTIONS.index("unknown")
    return _labels(_take(per_unique, codes, FUNCTIONS.index("unknown")), FUNCTIONS, job_title.index)


def is_decision_maker(job_title: pd.Series) -> pd.Series:
    """True when the title's seniority is c_level, vp, director, head or owner."""
    deciders = np.array([level in DECISION_LEVELS for level in SENIORITY_LEVELS])
    return pd.Series(deciders[_seniority_codes(job_title)], index=job_title.index, dtype=bool)


# --------------------------------------------------------------------------- domains and e-mail

# Byte classes, not \p{L}: RE2 keeps these in its fast DFA. A label character is anything but
# ASCII punctuation, whitespace and controls (so non-ASCII letters pass); "-" only inside a label.
_LABEL_END = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
_LABEL_MID = r"[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
_DOMAIN = rf"^(?:{_LABEL_END}(?:{_LABEL_MID}*{_LABEL_END})?\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]+|[^\x00-\x7f]{{2,}})$"
_LOCAL_PART = r"^[^\s@.\"(),:;<>\[\]\\]+(?:\.[^\s@.\"(),:;<>\[\]\\]+)*$"
_JUNK_MAILBOX = (
    r"^(?:test\d*|testing|tester|asdf\p{L}*|qwert\p{L}*|xxx+|none|no[._-]?e?mail|no[._-]?reply"
    r"|do[._-]?not[._-]?reply|null|unknown|example|fake|dummy|spam|nobody|noone)@"
)
_FREE_MAIL = (
    "^(?:" + _literal(FREE_MAIL_DOMAINS) + ")$"
    + "|^(?:" + "|".join(_FREE_MAIL_FAMILIES) + r")\.(?:[a-z]{2,3}|(?:co|com|net|org)\.[a-z]{2})$"
)
_PLACEHOLDER = (
    r"(?:^|\.)(?:" + _literal(PLACEHOLDER_DOMAINS) + r")$"
    + r"|\.(?:" + "|".join(_RESERVED_TLDS) + r")$"
)


def _clean_email(arr: pa.Array) -> pa.Array:
    """Lowercased, trimmed e-mail text; "Name <a@b.com>" and "mailto:" reduced to the address."""
    out = pc.utf8_trim_whitespace(pc.utf8_lower(arr))
    out = _sub_where(out, "<", r"^.*<([^<>]*)>.*$", r"\1")
    out = _sub_where(out, "mailto:", r"^mailto:", "")
    trailing_dot = pc.ends_with(out, ".").fill_null(False).to_numpy(zero_copy_only=False)
    return pc.utf8_trim_whitespace(_replace_where(out, trailing_dot, lambda part: _sub(part, r"\.+$", "")))


def _email_parts(text: pa.Array) -> tuple[pa.Array, np.ndarray, pa.Array]:
    """Split cleaned e-mail text: the local part, and per row a code into the unique domains
    (-1 unless the text is "something@valid.domain")."""
    # Split at the first "@" (a plain split, no regex). The local part is only looked at for
    # "something@valid.domain", where it is exactly the text before the "@".
    parts = pc.split_pattern(text, "@", max_splits=1)
    local = pc.list_element(parts, 0)
    shape = (
        pc.equal(pc.count_substring(text, "@"), 1).fill_null(False).to_numpy(zero_copy_only=False)
        & pc.greater(pc.utf8_length(local), 0).fill_null(False).to_numpy(zero_copy_only=False)
    )
    shaped_codes, domains = _encoded(pc.list_element(pc.filter(parts, pa.array(shape)), 1))
    codes = np.full(len(text), -1, dtype=shaped_codes.dtype)
    codes[shape] = shaped_codes
    valid = _matches(domains, _DOMAIN)
    codes = np.where(_take(valid, codes, False), codes, -1)
    return local, codes, domains


def _clean_domain(arr: pa.Array) -> pa.Array:
    """Bare lowercased domains from URLs, hosts or e-mail addresses; null when not a domain."""
    out = pc.utf8_trim_whitespace(pc.utf8_lower(arr))
    out = _sub(out, r"^[a-z][a-z0-9+.-]*://", "")
    out = _sub(out, r"^//", "")
    out = _sub(out, r"[/?#\\].*$", "")
    out = _sub(out, r"^.*@", "")
    out = _sub(out, r":\d*$", "")
    out = _sub(out, r"\.+$", "")
    out = _sub(out, r"^www\d*\.", "")
    return pc.if_else(pc.match_substring_regex(out, _DOMAIN), out, _NULL)


def _normalized_domains(domain: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes per row and per-unique normalized domains (null when not a domain)."""
    codes, values = _uniques(domain)
    return codes, _clean_domain(values)


def _is_personal(domain: pa.Array) -> np.ndarray:
    return _matches(domain, _FREE_MAIL)


def _is_placeholder(domain: pa.Array) -> np.ndarray:
    return _matches(domain, _PLACEHOLDER)


def normalize_domain(domain: pd.Series) -> pd.Series:
    """Lowercased bare domain, or NA ("https://www.Acme.com/about" -> "acme.com")."""
    codes, per_unique = _normalized_domains(domain)
    return _str_series(_take_text(per_unique, codes), domain.index)


def email_domain(email: pd.Series) -> pd.Series:
    """Lowercased domain of an e-mail address, or NA when there is no valid domain."""
    _, codes, domains = _email_parts(_clean_email(_arrow(email)))
    return _str_series(_take_text(domains, codes), email.index)


def email_kind(email: pd.Series, company_domain: pd.Series) -> pd.Series:
    """What kind of address a lead gave (values from EMAIL_KINDS)."""
    raw = _arrow(email)
    text = _clean_email(raw)
    local, codes, domains = _email_parts(text)
    plausible = (
        (codes >= 0)
        & _matches(local, _LOCAL_PART)
        & ~_matches(text, _JUNK_MAILBOX)
        & ~_take(_is_placeholder(domains), codes, False)
    )
    personal = _take(_is_personal(domains), codes, False)
    d_codes, d_unique = _normalized_domains(_aligned(company_domain, email.index))
    # the e-mail domain or one of its parents ("eu.mail.acme.com" -> "mail.acme.com" -> "acme.com"),
    # compared only where it decides the kind, and on each level only for rows whose e-mail
    # domain still got shorter and had not matched yet
    has_company = _take(~d_unique.is_null().to_numpy(zero_copy_only=False), d_codes, False)
    rows = np.flatnonzero(plausible & ~personal & has_company)
    company = pc.take(d_unique, pa.array(d_codes[rows]))
    match = np.zeros(len(codes), dtype=bool)
    parent = domains
    for level in range(5):
        if level:
            shorter = _sub(parent, r"^[^.]*\.", "")
            shrunk = pc.not_equal(shorter, parent).fill_null(False).to_numpy(zero_copy_only=False)
            parent = shorter
            still = shrunk[codes[rows]] & ~match[rows]
            rows, company = rows[still], pc.filter(company, pa.array(still))
        same = pc.equal(pc.take(parent, pa.array(codes[rows])), company)
        match[rows] = same.fill_null(False).to_numpy(zero_copy_only=False)
    kind = np.select(
        [_blank(raw), ~plausible, personal, match],
        [EMAIL_KINDS.index(k) for k in ("missing", "invalid", "personal", "company_match")],
        default=EMAIL_KINDS.index("company_other"),
    )
    return _labels(kind, EMAIL_KINDS, email.index)


def _registrable(domain: pa.Array) -> pa.Array:
    """The registrable part of each domain: "eu.acme.co.uk" -> "acme.co.uk"."""
    shared = r"(?P<d>[^.]+\.(?:" + _literal(_SHARED_HOSTS) + r"))$"
    second = r"(?P<d>[^.]+\.(?:" + "|".join(_SECOND_LEVELS) + r")\.[a-z]{2})$"
    last_two = r"(?P<d>[^.]+\.[^.]+)$"
    parts = [pc.struct_field(pc.extract_regex(domain, p), [0]) for p in (shared, second, last_two)]
    return pc.coalesce(*parts, domain)


def _domain_keys(domain: pa.Array) -> pa.Array:
    """ "d:<registrable domain>" for company domains; null for free-mail and placeholder ones."""
    usable = ~_is_personal(domain) & ~_is_placeholder(domain)
    keys = _join(pa.scalar("d:", pa.large_string()), _registrable(domain))
    return pc.if_else(pa.array(usable), keys, _NULL)


_LEGAL_TAIL = "(?: (?:" + "|".join(LEGAL_SUFFIXES) + "))+ $"
_JUNK_COMPANY = _whole(
    "none", "na", "n a", "nil", "null", "nan", "test", "testing", "asdf", "qwerty", "xxx", "x", "self",
    "self employed", "selfemployed", "freelance", "freelancer", "private", "privat", "individual", "personal",
    "home", "student", "retired", "unemployed", "unknown", "no company", "not applicable", "me", "myself",
    "independent", "various", "other", "company", "my company", "mycompany", "company name", "your company",
    "abc", "xyz", "gmail", "yahoo", "hotmail", "outlook", "nothing", "keine", "aucune", "ninguna",
)


def _name_keys(company: pa.Array) -> pa.Array:
    """ "n:<name>" from company names without punctuation, "the" and legal suffixes; else null."""
    text = _words(company, join_initials=True)
    text = _sub(text, "^ the ", " ")
    text = _sub(text, _LEGAL_TAIL, " ")
    junk = _matches(text, _JUNK_COMPANY) | _matches(text, r"^[^\p{L}]*$")  # placeholders, no letters
    name = pc.utf8_trim_whitespace(text)
    keys = _join(pa.scalar("n:", pa.large_string()), name)
    return pc.if_else(pa.array(~junk), keys, _NULL)


def account_key(company_domain: pd.Series, company: pd.Series, email: pd.Series) -> pd.Series:
    """The account a lead belongs to: "d:<company domain>", else "d:<e-mail domain>", else "n:<name>", else NA."""
    codes, accounts = _accounts(company_domain, company, email)
    return _str_series(_take_text(accounts, codes), company_domain.index)


def account_codes(company_domain: pd.Series, company: pd.Series, email: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """`account_key` as a code per row (-1 for NA) into the distinct keys (not in order of appearance).

    Keys are made per distinct domain, e-mail domain and name, and numbered there: cheaper, for a
    large history, than spelling out a key per row and hashing it again.
    """
    codes, accounts = _accounts(company_domain, company, email)
    return codes, pd.Index(_str_series(accounts, pd.RangeIndex(len(accounts))).array)


def _accounts(company_domain: pd.Series, company: pd.Series, email: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Per row a code (-1 for NA) into the distinct account keys, and those keys."""
    index = company_domain.index
    d_codes, d_unique = _normalized_domains(company_domain)
    candidates = [_domain_keys(d_unique)]
    # Per row, the position of its key among the candidates (-1: none yet). Only leads without a
    # company-domain key need their e-mail parsed, and only those without either key their
    # company name: the other rows' fallbacks would never be used.
    entry = _keyed(candidates[0], d_codes, 0)
    missing = entry < 0
    if missing.any():
        emails = pc.filter(_arrow(_aligned(email, index)), pa.array(missing))
        _, e_codes, e_unique = _email_parts(_clean_email(emails))
        candidates.append(_domain_keys(e_unique))
        entry[missing] = _keyed(candidates[-1], e_codes, len(candidates[0]))
        missing = entry < 0
    if missing.any():
        n_codes, n_unique = _encoded(pc.filter(_arrow(_aligned(company, index)), pa.array(missing)))
        candidates.append(_name_keys(n_unique))
        entry[missing] = _keyed(candidates[-1], n_codes, sum(len(c) for c in candidates[:-1]))
    candidate_codes, accounts = _encoded(pa.concat_arrays(candidates))
    return _take(candidate_codes, entry, -1).astype("int64"), accounts


def _keyed(keys: pa.Array, codes: np.ndarray, offset: int) -> np.ndarray:
    """Per row, `offset` + its code when that code's key is not null, else -1."""
    present = ~keys.is_null().to_numpy(zero_copy_only=False)
    return np.where(_take(present, codes, False), codes.astype("int64") + offset, -1)


# --------------------------------------------------------------------------- names, phones, size

_JUNK_NAME_WORDS = _whole(
    "test", "tester", "testing", "testuser", "asdf", "asd", "qwerty", "qwertz", "azerty", "xxx", "xx", "x x",
    "none", "null", "nil", "n a", "nan", "unknown", "unbekannt", "anonymous", "anon", "anonym", "noname",
    "no name", "fake", "dummy", "example", "demo", "blah", "bla", "foobar", "abc", "abcd", "xyz", "aaa", "mr",
    "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "name", "first", "last", "firstname", "lastname",
    "first name", "last name", "fname", "lname", "vorname", "nachname", "prenom", "nombre", "apellido",
    "user", "admin", "administrator", "customer", "client", "nobody", "someone", "somebody", "me", "myself",
    "private", "privat", "hello", "fulano", "mengano", "sutano", "batman", "superman", "spiderman", "nope",
    "nothing", "idk", "your name", "yourname",
)
JUNK_NAME_PAIRS: frozenset[tuple[str, str]] = frozenset({
    ("mickey", "mouse"), ("minnie", "mouse"), ("donald", "duck"), ("daisy", "duck"), ("john", "doe"),
    ("jane", "doe"), ("joe", "bloggs"), ("joe", "blow"), ("john", "q public"), ("max", "mustermann"),
    ("erika", "mustermann"), ("maria", "mustermann"), ("hans", "muster"), ("homer", "simpson"),
    ("bart", "simpson"), ("bugs", "bunny"), ("santa", "claus"), ("darth", "vader"), ("harry", "potter"),
    ("james", "bond"), ("luke", "skywalker"), ("first", "last"), ("test", "user"), ("no", "name"),
    ("your", "name"), ("fulano", "de tal"),
})
_JUNK_FULL_NAMES = _whole(*(f"{first} {last}" for first, last in sorted(JUNK_NAME_PAIRS)))
_NAME_SHAPE = (
    r"\d|@|http|www\."                                   # digits, e-mail or URL bits
    + "|" + "|".join(_KEYBOARD_RUNS) + "|" + _TRIPLE_LETTER
    + r"| [b-df-hj-np-tv-xz]{4,} "                       # a 4+ letter word without vowels
)


def _name_parts(name: pd.Series) -> tuple[np.ndarray, pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Codes, normalized unique names, and per unique: blank, junk, only initials."""
    codes, values = _uniques(name)
    words = _words(values, join_initials=False)
    raw = pc.utf8_lower(values)
    blank = _blank(values)
    junk = (
        _matches(raw, _NAME_SHAPE) | _matches(words, _NAME_SHAPE) | _matches(words, _JUNK_NAME_WORDS)
        | _matches(words, _JUNK_FULL_NAMES) | _matches(words, r"^[^\p{L}]*$")
    ) & ~blank
    initials = _matches(words, r"^ [a-z](?: [a-z])* $")  # Latin initials; "李" is a whole name
    return codes, words, blank, junk, initials


def is_junk_name(first_name: pd.Series, last_name: pd.Series) -> pd.Series:
    """True when the contact's name is a placeholder or made up; missing names are not junk."""
    f_codes, f_words, f_blank, f_junk, f_init = _name_parts(first_name)
    l_codes, l_words, l_blank, l_junk, l_init = _name_parts(_aligned(last_name, first_name.index))
    f_has = ~_take(f_blank, f_codes, True)
    l_has = ~_take(l_blank, l_codes, True)
    junk = _take(f_junk, f_codes, False) | _take(l_junk, l_codes, False)
    only_initials = (
        (f_has | l_has)
        & (~f_has | _take(f_init, f_codes, False))
        & (~l_has | _take(l_init, l_codes, False))
    )
    # the same word (3+ letters) as first and last name, or a famous fake pair
    f_rows, l_rows = _take_text(f_words, f_codes), _take_text(l_words, l_codes)
    long_enough = pc.greater_equal(pc.utf8_length(f_rows), 5)  # padded: " ali "
    same = pc.and_(pc.equal(f_rows, l_rows), long_enough).fill_null(False).to_numpy(zero_copy_only=False)
    pairs = pa.array([f" {first} | {last} " for first, last in sorted(JUNK_NAME_PAIRS)], type=pa.large_string())
    fake = pc.is_in(_join(f_rows, pa.scalar("|", pa.large_string()), l_rows), value_set=pairs)
    fake = fake.fill_null(False).to_numpy(zero_copy_only=False)
    return pd.Series(junk | only_initials | same | fake, index=first_name.index, dtype=bool)


def has_value(s: pd.Series) -> pd.Series:
    """True when a value is present and not blank after stripping whitespace."""
    return pd.Series(~_blank(_arrow(s)), index=s.index, dtype=bool)


_ASCENDING = "01234567890"
_DIGIT_RUNS = "|".join(
    {_ASCENDING[i:i + 7] for i in range(len(_ASCENDING) - 6)}
    | {_ASCENDING[::-1][i:i + 7] for i in range(len(_ASCENDING) - 6)}
)
_SAME_DIGITS = "|".join(d * 7 for d in "0123456789")


def phone_quality(phone: pd.Series) -> pd.Series:
    """ "missing", "invalid" or "ok" for a contact phone number (values from PHONE_QUALITIES)."""
    raw = _arrow(phone)
    text = pc.utf8_lower(pc.utf8_trim_whitespace(raw))
    scientific = _matches(text, r"^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$")  # Excel ate the digits
    text = _sub(text, r"^(\d+)\.0+$", r"\1")  # a phone read as a float
    text = _sub(text, r"\s*(?:ext|extension|x|#|poste|durchwahl|dw)\.?\s*\d{1,6}$", "")
    digits = _sub(_sub(text, r"\D+", ""), r"^00", "")
    n = pc.utf8_length(digits).fill_null(0).to_numpy(zero_copy_only=False)
    bad = (
        scientific | (n < 7) | (n > 15)
        | _matches(digits, f"(?:{_SAME_DIGITS})$") | _matches(digits, _DIGIT_RUNS)
        | _matches(digits, r"55501\d\d$")
    )
    quality = np.select([_blank(raw), bad], [PHONE_QUALITIES.index("missing"), PHONE_QUALITIES.index("invalid")],
                        default=PHONE_QUALITIES.index("ok"))
    return _labels(quality, PHONE_QUALITIES, phone.index)


def _head_counts(employees: pd.Series) -> np.ndarray:
    """Head counts as float64 (NaN when unknown); strings may hold "1,200", "5000+", "2k", "51-200"."""
    if pd.api.types.is_bool_dtype(employees.dtype):
        return np.full(len(employees), np.nan)
    if pd.api.types.is_numeric_dtype(employees.dtype):
        return pd.to_numeric(employees, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    codes, values = _uniques(employees)
    text = pc.utf8_lower(pc.utf8_trim_whitespace(values))
    text = _sub(text, r"(\d)[,' ](\d\d\d)", r"\1\2")
    text = _sub(text, r"(\d)[,' ](\d\d\d)", r"\1\2")  # twice: "1,000,000"
    text = _sub(text, r"^(\d+(?:\.\d+)?)\s*(?:-|–|to|bis)\s*\d+(?:\.\d+)?$", r"\1")  # a range: its lower bound
    text = _sub(text, r"^(\d+(?:\.\d+)?)\s*\+$", r"\1")
    thousands = _matches(text, r"^\d+(?:\.\d+)?\s*k$")
    text = _sub(text, r"^(\d+(?:\.\d+)?)\s*k$", r"\1")
    number = pd.to_numeric(pd.Series(text.to_pylist(), dtype=object), errors="coerce").to_numpy(dtype="float64")
    number = np.where(thousands, number * 1000.0, number)
    return _take(number, codes, np.nan)


def size_band(employees: pd.Series) -> pd.Series:
    """Company size band from head count (values from SIZE_BANDS)."""
    count = _head_counts(employees)
    band = np.searchsorted(np.asarray(SIZE_EDGES, dtype="float64"), np.nan_to_num(count, nan=0.0), side="right") - 1
    band = np.where(np.isfinite(count) & (count >= 1), band, SIZE_BANDS.index("unknown"))
    return _labels(band, SIZE_BANDS, employees.index)
