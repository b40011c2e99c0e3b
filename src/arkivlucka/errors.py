"""The one exception hierarchy of arkivlucka; the CLI catches ``ArkivluckaError`` once."""

from __future__ import annotations

from arkivlucka.findings import Finding


class ArkivluckaError(Exception):
    """Base of every error arkivlucka raises on purpose.

    Carries the findings that explain it, so callers can render them for people or as JSON.
    """

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings: list[Finding] = list(findings or [])


class InputError(ArkivluckaError):
    """An input file cannot be read or is not what it should be."""


class IncidentError(InputError):
    """The incident file is malformed or breaks a rule; ``findings`` lists every problem."""


class XMLInputError(InputError):
    """An XML document is not well-formed, hostile, or of an unknown kind."""


class NotReadyError(ArkivluckaError):
    """The incident lacks what is needed to make entries (e.g. no records creator)."""


class InvalidOutputError(ArkivluckaError):
    """A generated document failed validation; nothing was written."""


class OutputError(ArkivluckaError):
    """A result could not be written (permissions, disk, a conflicting file)."""


class FormError(InputError):
    """A filled-in form cannot be read: empty, not a form, an encrypted or broken PDF."""


class RegisterError(ArkivluckaError):
    """The register (database) cannot be opened, is at another schema version, or refused a change.

    Nothing was changed in the register when this is raised (the transaction was rolled back).
    """
