"""CRM export presets: how a Salesforce or HubSpot export maps onto the data contract, declared in
small YAML files shipped in `pipeline/presets/` (column map, value maps, outcome rules, parsing hints)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from leadsift.errors import ParamsError
from leadsift.params import DataParams, Params


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutcomeRule(_Strict):
    """Rows whose `column` holds one of `values` ("" matches an empty cell) get `status`, decided at `at`."""

    column: str | None = None
    values: tuple[str, ...]
    status: Literal["accepted", "rejected", "unworked", ""]  # "": no outcome yet
    at: str | None = None


class Outcome(_Strict):
    column: str | None = None  # the rules' column where a rule names none
    rules: tuple[OutcomeRule, ...]


class ParseHints(_Strict):
    decimal: Literal[".", ","] | None = None
    dayfirst: bool | None = None


class Preset(_Strict):
    name: str
    description: str
    id_column: str                                  # the export's own id: scored files go back keyed on it
    columns: dict[str, str] = {}                    # export header -> contract column
    first_of: dict[str, tuple[str, ...]] = {}       # contract column <- first non-empty of these headers
    values: dict[str, dict[str, str]] = {}          # contract column -> {export value: contract value}
    domains: tuple[str, ...] = ()                   # contract columns holding URLs to reduce to a domain
    outcome: Outcome | None = None                  # builds sales_status and status_at
    parse: ParseHints = ParseHints()


def available() -> list[str]:
    """The presets shipped with leadsift."""
    folder = resources.files("leadsift.pipeline") / "presets"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=8)
def load_preset(name: str) -> Preset:
    """A shipped preset by name; an unknown name is an error listing the ones there are."""
    if name not in available():
        raise ParamsError(f"unknown preset {name!r}; available: {', '.join(available())} (`leadsift presets` describes them)")
    text = (resources.files("leadsift.pipeline") / "presets" / f"{name}.yaml").read_text(encoding="utf-8")
    try:
        return Preset.model_validate({"name": name, **yaml.safe_load(text)})
    except ValidationError as exc:  # a shipped file that does not validate is a bug, not a user error
        raise RuntimeError(f"preset {name} does not validate: {exc}") from exc


def with_preset(params: Params, name: str | None) -> Params:
    """`params` with the preset a command line names (`--preset`, which wins over `data.preset`), checked."""
    if name is not None:
        params = params.model_copy(update={"data": params.data.model_copy(update={"preset": name})})
    if params.data.preset is not None:
        load_preset(params.data.preset)
    return params


def effective(data: DataParams) -> tuple[DataParams, Preset | None]:
    """The data params in force: explicit `data.columns`, `data.values` and parsing hints win over the preset's."""
    if data.preset is None:
        return data, None
    preset = load_preset(data.preset)
    values = {c: {**preset.values.get(c, {}), **data.values.get(c, {})} for c in {*preset.values, *data.values}}
    hints = {k: v for k, v in preset.parse.model_dump().items() if v is not None and getattr(data, k) is None}
    taken = set(data.columns.values())  # an explicit map onto a contract column replaces the preset's
    columns = {old: new for old, new in preset.columns.items() if new not in taken and old not in data.columns}
    merged = data.model_copy(update={"columns": {**columns, **data.columns}, "values": values, **hints})
    return merged, preset


def add_preset(parser) -> None:  # noqa: ANN001 - an argparse parser
    """--preset NAME on a command that reads lead files."""
    parser.add_argument("--preset", metavar="NAME", help="the file is a CRM export: salesforce or hubspot (`leadsift presets`)")


def describe() -> str:
    """What `leadsift presets` prints."""
    lines = []
    for name in available():
        p = load_preset(name)
        lines.append(f"{name:<12} {p.description}")
        lines.append(f"{'':<12} id column {p.id_column!r}; maps {len(p.columns) + len(p.first_of)} columns"
                     + ("; outcome from " + ", ".join(dict.fromkeys(r.column or p.outcome.column for r in p.outcome.rules))
                        if p.outcome else ""))
    lines.append("use: --preset NAME on train, score and sources, or data.preset in params.yaml; "
                 "data.columns and data.values override a preset's maps")
    return "\n".join(lines)
