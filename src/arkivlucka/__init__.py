"""arkivlucka: document unrecoverable information loss in Swedish archival records.

The public API is the names in ``__all__`` (documented in ``docs/api.md``); everything else
is private. Names are imported on first use, so ``import arkivlucka`` stays fast.

Stages, bottom to top (each may import only the ones below it; an import-linter contract in
``pyproject.toml`` enforces it): ``core`` → ``files`` → ``xmldoc`` → ``incident`` →
``retention`` | ``form`` | ``inventory`` → ``entries`` → ``delivery`` → ``report`` →
``register`` → ``web`` → ``cli``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: public name → module that defines it (the attribute has the same name unless given)
_API: dict[str, tuple[str, str]] = {
    # run context, errors, findings
    "RunContext": ("arkivlucka.core.context", "RunContext"),
    "ArkivluckaError": ("arkivlucka.core.errors", "ArkivluckaError"),
    "InputError": ("arkivlucka.core.errors", "InputError"),
    "OutputError": ("arkivlucka.core.errors", "OutputError"),
    "IncidentError": ("arkivlucka.core.errors", "IncidentError"),
    "FormError": ("arkivlucka.core.errors", "FormError"),
    "XMLInputError": ("arkivlucka.core.errors", "XMLInputError"),
    "InvalidOutputError": ("arkivlucka.core.errors", "InvalidOutputError"),
    "OptionError": ("arkivlucka.core.errors", "OptionError"),
    "Finding": ("arkivlucka.core.findings", "Finding"),
    "Severity": ("arkivlucka.core.findings", "Severity"),
    # the incident file
    "Incident": ("arkivlucka.incident.model", "Incident"),
    "LoadedIncident": ("arkivlucka.incident.load", "LoadedIncident"),
    "load_incident": ("arkivlucka.incident.load", "load_incident"),
    "check_incident": ("arkivlucka.entries.describe", "check_incident"),
    # editing the incident file (round trip) and reviewing it
    "Edit": ("arkivlucka.incident.edit", "Edit"),
    "Snapshot": ("arkivlucka.incident.edit", "Snapshot"),
    "FileChangedError": ("arkivlucka.incident.edit", "FileChangedError"),
    "read_snapshot": ("arkivlucka.incident.edit", "read_snapshot"),
    "apply_edits": ("arkivlucka.incident.edit", "apply_edits"),
    "save_edits": ("arkivlucka.incident.edit", "save_edits"),
    "Review": ("arkivlucka.entries.review", "Review"),
    "review_incident": ("arkivlucka.entries.review", "review_incident"),
    "choose_plan_row": ("arkivlucka.entries.review", "choose_plan_row"),
    "preview_entries": ("arkivlucka.entries.review", "preview_entries"),
    "CreatorPreview": ("arkivlucka.entries.review", "CreatorPreview"),
    # form import
    "import_form": ("arkivlucka.form.pipeline", "import_path"),
    "import_form_bytes": ("arkivlucka.form.pipeline", "import_form"),
    "FormImport": ("arkivlucka.form.pipeline", "ImportResult"),
    # retention schedule
    "read_plan": ("arkivlucka.retention.schedule", "read_plan"),
    "check_plan": ("arkivlucka.retention.check", "check_plan_file"),
    "Plan": ("arkivlucka.retention.schedule", "Plan"),
    "PlanReport": ("arkivlucka.retention.check", "PlanReport"),
    # entries
    "describe": ("arkivlucka.entries.describe", "describe"),
    "make_documents": ("arkivlucka.entries.describe", "make_documents"),
    "DescribeResult": ("arkivlucka.entries.describe", "DescribeResult"),
    # inventories
    "import_inventory": ("arkivlucka.inventory.pipeline", "import_spreadsheet"),
    "InventoryImport": ("arkivlucka.inventory.pipeline", "ImportResult"),
    "ImportOptions": ("arkivlucka.inventory.sheet", "ImportOptions"),
    "export_inventory": ("arkivlucka.inventory.pipeline", "export_inventory"),
    "merge_inventory": ("arkivlucka.inventory.merge", "merge_file"),
    "MergeReport": ("arkivlucka.inventory.merge", "MergeReport"),
    # e-archive delivery
    "PackageSettings": ("arkivlucka.delivery.config", "PackageSettings"),
    "build_package": ("arkivlucka.delivery.package", "build_package"),
    "PackageResult": ("arkivlucka.delivery.sealing", "PackageResult"),
    "verify_package": ("arkivlucka.delivery.verify", "verify_package"),
    "Workspace": ("arkivlucka.delivery.workspace", "Workspace"),
    "IncidentStatus": ("arkivlucka.delivery.workspace", "IncidentStatus"),
    "write_report": ("arkivlucka.report.render", "write_report"),
    "VerifyResult": ("arkivlucka.delivery.verify", "VerifyResult"),
    # validation
    "validate": ("arkivlucka.xmldoc.validate", "validate_files"),
    "validate_bytes": ("arkivlucka.xmldoc.validate", "validate_bytes"),
    "decode_document": ("arkivlucka.xmldoc.decode", "decode_document"),
    "decode_file": ("arkivlucka.xmldoc.decode", "decode_file"),
}

__all__ = [
    "ArkivluckaError",
    "CreatorPreview",
    "DescribeResult",
    "Edit",
    "FileChangedError",
    "Finding",
    "FormError",
    "FormImport",
    "ImportOptions",
    "Incident",
    "IncidentError",
    "IncidentStatus",
    "InputError",
    "InvalidOutputError",
    "InventoryImport",
    "LoadedIncident",
    "MergeReport",
    "OptionError",
    "OutputError",
    "PackageResult",
    "PackageSettings",
    "Plan",
    "PlanReport",
    "Review",
    "RunContext",
    "Severity",
    "Snapshot",
    "VerifyResult",
    "Workspace",
    "XMLInputError",
    "__version__",
    "apply_edits",
    "build_package",
    "check_incident",
    "check_plan",
    "choose_plan_row",
    "decode_document",
    "decode_file",
    "describe",
    "export_inventory",
    "import_form",
    "import_form_bytes",
    "import_inventory",
    "load_incident",
    "make_documents",
    "merge_inventory",
    "preview_entries",
    "read_plan",
    "read_snapshot",
    "review_incident",
    "save_edits",
    "validate",
    "validate_bytes",
    "verify_package",
    "write_report",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from arkivlucka.core.context import RunContext
    from arkivlucka.core.errors import (
        ArkivluckaError,
        FormError,
        IncidentError,
        InputError,
        InvalidOutputError,
        OptionError,
        OutputError,
        XMLInputError,
    )
    from arkivlucka.core.findings import Finding, Severity
    from arkivlucka.delivery.config import PackageSettings
    from arkivlucka.delivery.package import build_package
    from arkivlucka.delivery.sealing import PackageResult
    from arkivlucka.delivery.verify import VerifyResult, verify_package
    from arkivlucka.delivery.workspace import IncidentStatus, Workspace
    from arkivlucka.entries.describe import (
        DescribeResult,
        check_incident,
        describe,
        make_documents,
    )
    from arkivlucka.entries.review import (
        CreatorPreview,
        Review,
        choose_plan_row,
        preview_entries,
        review_incident,
    )
    from arkivlucka.form.pipeline import ImportResult as FormImport
    from arkivlucka.form.pipeline import import_form as import_form_bytes
    from arkivlucka.form.pipeline import import_path as import_form
    from arkivlucka.incident.edit import (
        Edit,
        FileChangedError,
        Snapshot,
        apply_edits,
        read_snapshot,
        save_edits,
    )
    from arkivlucka.incident.load import LoadedIncident, load_incident
    from arkivlucka.incident.model import Incident
    from arkivlucka.inventory.merge import MergeReport
    from arkivlucka.inventory.merge import merge_file as merge_inventory
    from arkivlucka.inventory.pipeline import ImportResult as InventoryImport
    from arkivlucka.inventory.pipeline import export_inventory
    from arkivlucka.inventory.pipeline import import_spreadsheet as import_inventory
    from arkivlucka.inventory.sheet import ImportOptions
    from arkivlucka.report.render import write_report
    from arkivlucka.retention.check import PlanReport
    from arkivlucka.retention.check import check_plan_file as check_plan
    from arkivlucka.retention.schedule import Plan, read_plan
    from arkivlucka.xmldoc.decode import decode_document, decode_file
    from arkivlucka.xmldoc.validate import validate_bytes
    from arkivlucka.xmldoc.validate import validate_files as validate


def __getattr__(name: str) -> Any:
    """Import a public name on first use; ``__version__`` from the installed metadata."""
    if name == "__version__":
        from arkivlucka.core.context import default_version

        return default_version()
    if name in _API:
        module, attr = _API[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'arkivlucka' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
