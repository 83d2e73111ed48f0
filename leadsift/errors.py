"""User errors: problems with the user's files, data or settings, each worded as what to change.

Anything else that escapes a command is a bug in leadsift, and the command reports it as one.
"""

from __future__ import annotations

__all__ = ["ContractError", "DataError", "LeadsiftError", "ModelNotFound", "ParamsError"]


class LeadsiftError(Exception):
    """The user can fix this: the message names the file, column or key, and the fix."""


class ContractError(LeadsiftError):
    """The input does not follow the data contract."""


class ParamsError(LeadsiftError):
    """params.yaml holds a key or value leadsift cannot use."""


class DataError(LeadsiftError):
    """The data follows the contract but cannot support the step (too few rows, one class only)."""


class ModelNotFound(LeadsiftError):
    """No leadsift model at the URI (no champion yet, or another kind of model)."""
