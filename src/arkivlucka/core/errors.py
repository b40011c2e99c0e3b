"""Core: the one exception hierarchy of arkivlucka; the CLI catches ``ArkivluckaError`` once.

Every error carries at least one finding (code, severity, file, line, path, message), so a
caller can always render it for people, as JSON or as HTML. An error about a parameter of a
library function names the parameter (``param``), never a command-line flag: the CLI renders
the parameter as its ``--flag``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # findings (and dataclasses) are imported when an error is made
    from arkivlucka.core.findings import Finding


class ArkivluckaError(Exception):
    """Base of every error arkivlucka raises on purpose.

    ``findings`` explain it; when none are given, one error finding is made from ``message``
    with ``code`` (default: the class's ``code``), ``file`` and ``param``.
    """

    code = "failed"

    def __init__(
        self,
        message: str,
        findings: list[Finding] | None = None,
        *,
        code: str | None = None,
        file: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.findings: list[Finding] = list(findings or [])
        if not self.findings:
            from arkivlucka.core.findings import error

            self.findings = [error(code or self.code, message, file=file, param=param)]


class InputError(ArkivluckaError):
    """An input file cannot be read or is not what it should be."""

    code = "invalid-input"


class IncidentError(InputError):
    """The incident file is malformed or breaks a rule; ``findings`` lists every problem."""

    code = "invalid-incident"


class XMLInputError(InputError):
    """An XML document is not well-formed, hostile, or of an unknown kind."""

    code = "xml-invalid"


class InvalidOutputError(ArkivluckaError):
    """A generated document failed validation; nothing was written."""

    code = "invalid-output"


class OutputError(ArkivluckaError):
    """A result could not be written (permissions, disk, a conflicting file)."""

    code = "write-failed"


class FormError(InputError):
    """A filled-in form cannot be read: empty, not a form, an encrypted or broken PDF."""

    code = "form-unreadable"


class RegisterError(ArkivluckaError):
    """The register (database) cannot be opened, is at another schema version, or refused a change.

    Nothing was changed in the register when this is raised (the transaction was rolled back).
    """

    code = "register-failed"


class OptionError(ArkivluckaError):
    """A parameter's value cannot be used (``param`` names it), e.g. a bad creation time."""

    code = "invalid-option"
