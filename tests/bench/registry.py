"""Benchmark: importing the registers into PostgreSQL, against COPY of the same file, same run.

For each size (50 000 and 200 000 enterprises by default), ../shared/tools/make_registry.py
writes a synthetic register; a new database is migrated; PostgreSQL COPY loads enterprise.csv
into an unindexed table (the baseline), then import_kbo, import_functions and import_persons run
as their own processes. Printed: rows/s of each, their ratio to the baseline, peak RSS of each.

    make bench-import        (BENCH_SIZES="50000 200000", BENCH_DATABASE_URL)
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.bench.database import recreate_database  # noqa: E402 (after the path is set)

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT.parent / "shared" / "tools" / "make_registry.py"
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "50000 200000").split()]
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/csam_bench_import"
)


def main() -> None:
    if not GENERATOR.is_file():
        sys.exit(f"{GENERATOR} is missing: the benchmark needs ../shared/tools.")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            run(size, Path(folder))


def run(size: int, folder: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--synthetic", str(size), str(folder)], check=True
    )
    recreate_database(DATABASE_URL)
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    copy_rows, copy_seconds = _copy_baseline(folder / "enterprise.csv")
    copy_rate = copy_rows / copy_seconds
    print(f"\n== {size} enterprises ==")
    print(
        f"COPY enterprise.csv into an unindexed table: {copy_rows} rows in {copy_seconds:.2f} s"
        f" = {copy_rate:,.0f} rows/s"
    )
    floor_seconds = _copy_into_portal_table(folder / "enterprise.csv")
    print(
        f"COPY the same rows, normalised beforehand, into the portal's enterprise table (its"
        f" primary key only, no check): {floor_seconds:.2f} s = {copy_rows / floor_seconds:,.0f}"
        f" rows/s, {floor_seconds / copy_seconds:.1f}x the baseline"
    )
    sql_seconds = _validated_in_sql(folder / "enterprise.csv")
    print(
        f"COPY the raw file into a staging table, then one INSERT ... SELECT that checks each"
        f" number's mod 97 and parses the dates in SQL, into the same table: {sql_seconds:.2f} s"
        f" = {copy_rows / sql_seconds:,.0f} rows/s, {sql_seconds / copy_seconds:.1f}x the baseline"
    )
    total_rows = total_seconds = 0.0
    for command, target in [
        ("import_kbo", folder),
        ("import_functions", folder / "functions.csv"),
        ("import_persons", folder / "persons.csv"),
    ]:
        rows = _rows(target)
        seconds, peak_kib = _timed(
            [sys.executable, "manage.py", command, str(target), "--no-progress"], env
        )
        total_rows += rows
        total_seconds += seconds
        rate = rows / seconds
        print(
            f"{command:17} {rows:>9} rows in {seconds:6.2f} s = {rate:>9,.0f} rows/s, "
            f"{copy_rate / rate:5.1f}x COPY's time per row, peak RSS {peak_kib / 1024:.0f} MiB"
        )
    rate = total_rows / total_seconds
    print(
        f"{'all three':17} {total_rows:>9.0f} rows in {total_seconds:6.2f} s = "
        f"{rate:>9,.0f} rows/s, {copy_rate / rate:5.1f}x COPY's time per row"
    )


def _rows(target: Path) -> int:
    files = (
        [target]
        if target.is_file()
        else [target / f"{name}.csv" for name in ("code", "enterprise", "denomination", "address")]
    )
    return sum(sum(1 for _ in file.open(encoding="utf-8")) - 1 for file in files)


def _timed(command: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of `command`, run as a process of its own."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed")
    return seconds, usage.ru_maxrss


def _copy_baseline(path: Path) -> tuple[int, float]:
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(
            'CREATE TABLE copy_baseline ("EnterpriseNumber" text, "Status" text, '
            '"JuridicalSituation" text, "TypeOfEnterprise" text, "JuridicalForm" text, '
            '"JuridicalFormCAC" text, "StartDate" text)'
        )
        started = time.monotonic()
        sql = "COPY copy_baseline FROM STDIN (FORMAT csv, HEADER true)"
        with connection.cursor() as cursor, path.open("rb") as source, cursor.copy(sql) as copy:
            while data := source.read(1 << 20):
                copy.write(data)
        seconds = time.monotonic() - started
        rows = connection.execute("SELECT count(*) FROM copy_baseline").fetchone()[0]
        connection.execute("DROP TABLE copy_baseline")
    return rows, seconds


def _copy_into_portal_table(path: Path) -> float:
    """The floor of any import: rows already clean, straight into the indexed table, undone."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with path.open(newline="", encoding="utf-8") as source:
        rows = csv.reader(source)
        next(rows)
        for number, *rest in rows:
            day, month, year = rest[-1].split("-")
            writer.writerow([number.replace(".", ""), *rest[:-1], f"{year}-{month}-{day}"])
    with psycopg.connect(DATABASE_URL) as connection:
        started = time.monotonic()
        sql = (
            "COPY enterprises_enterprise (number, status, juridical_situation, type_of_enterprise,"
            " juridical_form, juridical_form_cac, start_date) FROM STDIN"
            " (FORMAT csv, FORCE_NOT_NULL (juridical_form_cac))"
        )
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())
        seconds = time.monotonic() - started
        connection.rollback()
    return seconds


def _validated_in_sql(path: Path) -> float:
    """The cheapest validating load there is: PostgreSQL parses the CSV and checks the rows; no
    Python per row, no merge, no line numbers for refusals, nothing kept (rolled back)."""
    with psycopg.connect(DATABASE_URL) as connection:
        started = time.monotonic()
        connection.execute(
            "CREATE TEMPORARY TABLE raw_enterprise (number text, status text, situation text,"
            " type text, form text, form_cac text, start text)"
        )
        sql = "COPY raw_enterprise FROM STDIN (FORMAT csv, HEADER true)"
        with connection.cursor() as cursor, path.open("rb") as source, cursor.copy(sql) as copy:
            while data := source.read(1 << 20):
                copy.write(data)
        connection.execute(
            "INSERT INTO enterprises_enterprise SELECT n, status, situation, type, form,"
            " coalesce(form_cac, ''), to_date(start, 'DD-MM-YYYY')"
            " FROM (SELECT replace(number, '.', '') AS n, * FROM raw_enterprise) r"
            " WHERE n ~ '^[01][0-9]{9}$'"
            " AND 97 - substr(n, 1, 8)::bigint % 97 = substr(n, 9, 2)::int"
        )
        seconds = time.monotonic() - started
        connection.rollback()
    return seconds


if __name__ == "__main__":
    main()
