"""State changes of the register: imports, each in one transaction with its audit record."""

import datetime
import zoneinfo
from pathlib import Path

from django.db import connection, models, transaction

from csam_portal.core import audit
from csam_portal.core.bulkload.files import (
    FileReport,
    MalformedFile,
    RowError,
    SkipRow,
    read_rows,
)
from csam_portal.core.bulkload.merge import delete_owners, load
from csam_portal.core.bulkload.staging import Staging, quote, stage_owners
from enterprises import registry, signals
from enterprises.models import Enterprise, RegistryExtract


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
    is marked stopped (unless not `full`: the demo adds to a register); one an update deletes is
    deleted, unless the portal holds on to it (see _delete_enterprises). Rows of establishment
    units and branch offices are skipped; bad rows are refused and reported. Raises
    MalformedFile, and nothing changes, if a file cannot be read as the register's or an update
    comes out of order.
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
    snapshot_date = _meta_date(meta, "SnapshotDate")
    if kind == RegistryExtract.Kind.UPDATE and not force:
        _check_update_order(number)
    reports = []
    for name in registry.KBO_FILES:
        if kind == RegistryExtract.Kind.FULL:
            reports.append(
                _load_full(directory / f"{name}.csv", name, full=full, progress=progress)
            )
        else:
            reports.append(
                _load_update(directory, name, on=snapshot_date, actor=actor, progress=progress)
            )
    extract = RegistryExtract(
        snapshot_date=snapshot_date,
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


def _load_update(
    directory: Path, name: str, *, on: datetime.date, actor: audit.Actor, progress: bool
) -> FileReport:
    spec = registry.SPECS[name]
    deletions, insertions = directory / f"{name}_delete.csv", directory / f"{name}_insert.csv"
    report = FileReport(f"{name}_delete.csv + {name}_insert.csv")
    if name == "code" and (directory / "code.csv").is_file():
        return _load_full(directory / "code.csv", name, progress=progress)
    if deletions.is_file() and name == "enterprise":
        _delete_enterprises(deletions, insertions, report, on=on, actor=actor)
    elif deletions.is_file() and name != "code":  # codes stay: old records may still use them
        report.deleted += _delete(deletions, name)
    if insertions.is_file():
        load(insertions, spec, report, full=False, progress=progress)
    return report


def _delete_enterprises(
    deletions: Path, insertions: Path, report: FileReport, *, on: datetime.date, actor: audit.Actor
) -> None:
    """Apply enterprise_delete.csv: the enterprises it lists leave, with their names, addresses
    and functions (the database deletes those along).

    Except two kinds. One enterprise_insert.csv lists too is only updated, so what hangs on it
    is not lost on the way. One the portal holds on to (a registration, a GAP's term, a request
    refers to it) cannot leave: it stays, no longer in the register since `on`
    (enterprise_remove_from_register), counted as "no longer listed".
    """
    table = quote(Enterprise._meta.db_table)
    owners = stage_owners(
        deletions, registry.DELETE_HEADERS["enterprise"], _owner, name="staging_deleted_enterprises"
    )
    listed = Staging("staging_listed_enterprises", ["owner"])
    if insertions.is_file():
        for line, fields in read_rows(insertions, registry.ENTERPRISE.header):
            number = _owner(fields[0])  # a bad one is refused when the insertions are loaded
            if number:
                listed.add(line, [number])
    listed.flush()
    listed.index(["owner"])
    held = _held_elsewhere()
    leaving = (
        f"SELECT number FROM {table} WHERE number IN (SELECT owner FROM {quote(owners.name)}) "
        f"AND number NOT IN (SELECT owner FROM {quote(listed.name)}) "
        f"AND removed_from_register_on IS NULL"
    )
    numbers = []
    if held:
        with connection.cursor() as cursor:
            cursor.execute(f"{leaving} AND number IN ({' UNION '.join(held)}) ORDER BY number")
            numbers = [number for (number,) in cursor.fetchall()]
    removed = Enterprise.objects.select_for_update().filter(number__in=numbers).order_by("number")
    for enterprise in removed:
        enterprise_remove_from_register(enterprise=enterprise, on=on, actor=actor)
    report.retired += len(numbers)
    report.deleted += delete_owners(
        owners,
        table=Enterprise._meta.db_table,
        column="number",
        keep=[f"SELECT owner FROM {quote(listed.name)}", *held],
    )
    owners.drop()
    listed.drop()


def _held_elsewhere() -> list[str]:
    """A query of the enterprise numbers for each foreign key to Enterprise that the database
    does not resolve on delete (PROTECT: access_managers' registrations, terms and requests).
    enterprises cannot name those apps (they import it): it asks Django's model registry."""
    resolved_by_the_database = {models.DB_CASCADE, models.DB_SET_NULL, models.DB_SET_DEFAULT}
    queries = []
    for relation in Enterprise._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or relation.one_to_one) or relation.concrete:
            continue  # not a foreign key pointing to Enterprise
        if relation.on_delete in resolved_by_the_database:
            continue  # its names, addresses and functions
        column = quote(relation.field.column)
        queries.append(
            f"SELECT {column} FROM {quote(relation.related_model._meta.db_table)} "
            f"WHERE {column} IS NOT NULL"
        )
    return queries


def _delete(deletions: Path, name: str) -> int:
    """Apply denomination_delete.csv or address_delete.csv: the rows of the enterprises it lists
    are deleted (its insert file brings back those that remain), except the rows of an
    enterprise no longer in the register, which stay as the register last had them."""
    owners = stage_owners(
        deletions, registry.DELETE_HEADERS[name], _owner, name=f"staging_deleted_{name}"
    )
    removed = (
        f"SELECT number FROM {quote(Enterprise._meta.db_table)} "
        "WHERE removed_from_register_on IS NOT NULL"
    )
    deleted = delete_owners(
        owners, table=registry.SPECS[name].table, column="enterprise_id", keep=[removed]
    )
    owners.drop()
    return deleted


def _owner(raw: str) -> str | None:
    """The enterprise number of a row of an update file; None for a unit's or a bad one."""
    try:
        return registry.entity_number(raw)
    except (RowError, SkipRow):
        return None


def enterprise_remove_from_register(
    *, enterprise: Enterprise, on: datetime.date, actor: audit.Actor
) -> None:
    """Mark `enterprise` as no longer in the register since `on`, and tell the apps that hold on
    to it (signals.enterprise_removed_from_register: access_managers e-mails the GAP).

    It keeps its names, addresses and functions, and all that refers to it; it is no longer
    active, and its functions make nobody its legal representative (access_managers.selectors).
    Only the import calls this, in its transaction, the enterprise row locked.
    """
    with audit.change(actor, "enterprise_remove_from_register", enterprise):
        enterprise.removed_from_register_on = on
        # The register's values were checked when imported; only this date, the import's, changes.
        enterprise.save(update_fields=["removed_from_register_on"])
    signals.enterprise_removed_from_register.send(
        sender=Enterprise, enterprise=enterprise, actor=actor
    )


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
