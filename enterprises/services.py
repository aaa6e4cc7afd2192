"""State changes of the register: imports, each in one transaction with its audit record."""

import datetime
import zoneinfo
from pathlib import Path

from django.db import transaction

from csam_portal import audit
from csam_portal.bulkload import (
    FileReport,
    MalformedFile,
    RowError,
    SkipRow,
    Staging,
    delete_owners,
    load,
    quote,
    read_rows,
    stage_owners,
)
from enterprises import registry
from enterprises.models import RegistryExtract


@transaction.atomic
def registry_import_kbo(
    *,
    directory: Path,
    actor: audit.Actor,
    progress: bool = False,
    force: bool = False,
    full: bool = True,
) -> tuple[RegistryExtract, list[FileReport]]:
    """Import a KBO Open Data extract from `directory`: a full one or a monthly update.

    A full extract has enterprise.csv, denomination.csv, address.csv, code.csv and meta.csv:
    rows are created or updated, and an enterprise's names and addresses become the file's. An
    update has *_delete.csv and *_insert.csv files: for each table the deletions are applied
    before the insertions, as the register publishes them; updates are applied in the order of
    their ExtractNumber, each once (unless `force`). An enterprise a full extract no longer lists
    is marked stopped (unless not `full`: the demo adds to a register). Bad rows are refused
    and reported; raises MalformedFile, and nothing changes, if a file cannot be read as the
    register's or an update comes out of order.
    """
    meta = registry.read_meta(directory)
    update_files = sorted(directory.glob("*_insert.csv")) + sorted(directory.glob("*_delete.csv"))
    kind = meta.get("ExtractType", "full").lower()
    if kind not in RegistryExtract.Kind.values:
        raise MalformedFile(f"meta.csv: ExtractType {kind!r} is neither full nor update.")
    if (kind == RegistryExtract.Kind.UPDATE) != bool(update_files):
        raise MalformedFile(
            f"meta.csv says {kind!r}, but the folder holds "
            f"{'update files' if update_files else 'no *_insert.csv or *_delete.csv file'}."
        )
    number = int(meta["ExtractNumber"]) if meta.get("ExtractNumber", "").isdigit() else None
    if kind == RegistryExtract.Kind.UPDATE and not force:
        _check_update_order(number)
    reports = []
    for name in registry.KBO_FILES:
        if kind == RegistryExtract.Kind.FULL:
            reports.append(
                _load_full(directory / f"{name}.csv", name, full=full, progress=progress)
            )
        else:
            reports.append(_load_update(directory, name, progress=progress))
    extract = RegistryExtract(
        snapshot_date=_meta_date(meta, "SnapshotDate"),
        extract_timestamp=_meta_timestamp(meta.get("ExtractTimestamp", "")),
        kind=kind,
        extract_number=number,
        version=meta.get("Version", ""),
        summary={report.name: report.as_dict() for report in reports},
    )
    extract.full_clean()
    extract.save()
    audit.record(actor, "registry_import_kbo", extract, after=extract.summary)
    return extract, reports


@transaction.atomic
def registry_import_functions(
    *, path: Path, actor: audit.Actor, progress: bool = False, full: bool = True
) -> FileReport:
    """Import the legal functions of functions.csv (who represents which enterprise, when).

    Rows are created or updated; as the file lists every function, those it no longer lists are
    deleted (unless not `full`: the demo adds to a register). A function of an enterprise the
    register does not have, or with a wrong number or date, is refused. Raises MalformedFile,
    and nothing changes, if the file cannot be read.
    """
    report = FileReport(path.name)
    load(path, registry.FUNCTION, report, full=full, progress=progress)
    audit.record(actor, "registry_import_functions", None, after={path.name: report.as_dict()})
    return report


def _check_update_order(number: int | None) -> None:
    """An update applies to the extract numbered just before it: not twice, not one skipped."""
    last = RegistryExtract.objects.exclude(extract_number=None).order_by("-imported_at").first()
    if number is None or last is None:
        raise MalformedFile(
            "meta.csv: an update needs its ExtractNumber and a full extract imported before it."
        )
    if number <= last.extract_number:
        raise MalformedFile(
            f"Update {number} was already applied (the last one is {last.extract_number})."
        )
    if number != last.extract_number + 1:
        raise MalformedFile(
            f"Update {number} follows {last.extract_number}: update {last.extract_number + 1} "
            "is missing. Apply the updates in order, or use --force."
        )


def _load_full(path: Path, name: str, *, full: bool = True, progress: bool) -> FileReport:
    if not path.is_file():
        raise MalformedFile(f"{path.name} is missing from the extract.")
    report = FileReport(path.name)
    load(path, registry.SPECS[name], report, full=full, progress=progress)
    return report


def _load_update(directory: Path, name: str, *, progress: bool) -> FileReport:
    spec = registry.SPECS[name]
    deletions, insertions = directory / f"{name}_delete.csv", directory / f"{name}_insert.csv"
    report = FileReport(f"{name}_delete.csv + {name}_insert.csv")
    if name == "code" and (directory / "code.csv").is_file():
        return _load_full(directory / "code.csv", name, progress=progress)
    if deletions.is_file():
        report.deleted += _delete(deletions, name, insertions)
    if insertions.is_file():
        load(insertions, spec, report, full=False, progress=progress)
    return report


def _delete(deletions: Path, name: str, insertions: Path) -> int:
    """Apply `name`_delete.csv. An enterprise deleted and inserted again is only updated, so
    its names, addresses and functions, which hang on it, are not lost on the way."""
    if name == "code":
        return 0  # codes are never removed: old records may still use them
    column = "number" if name == "enterprise" else "enterprise_id"
    owners = stage_owners(
        deletions, registry.DELETE_HEADERS[name], _owner, name=f"staging_deleted_{name}"
    )
    keep = []
    kept = None
    if name == "enterprise" and insertions.is_file():
        kept = Staging("staging_kept_enterprises", ["owner"])
        for line, fields in read_rows(insertions, registry.ENTERPRISE.header):
            number = _owner(fields[0])  # a bad one is refused when the insertions are loaded
            if number:
                kept.add(line, [number])
        kept.flush()
        kept.index(["owner"])
        keep = [f"SELECT owner FROM {quote(kept.name)}"]
    deleted = delete_owners(owners, table=registry.SPECS[name].table, column=column, keep=keep)
    owners.drop()
    if kept:
        kept.drop()
    return deleted


def _owner(raw: str) -> str | None:
    """The enterprise number of a row of an update file; None for a unit's or a bad one."""
    try:
        return registry.entity_number(raw)
    except (RowError, SkipRow):
        return None


def _meta_date(meta: dict[str, str], name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(registry.kbo_date(meta.get(name, "")))
    except RowError as error:
        raise MalformedFile(f"meta.csv: {name} {error}.") from None


def _meta_timestamp(raw: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.strptime(raw, "%d-%m-%Y %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))  # the register's time
