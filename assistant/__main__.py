"""``python -m assistant``: the database's commands.

python -m assistant migrate                      bring the schema to the newest migration (production)
python -m assistant seed [--catalogue FILE]      migrate, then load the demo dossiers (`make seed`)
python -m assistant operators add NAME [--role admin] [--password-stdin] | remove NAME | list
                                                 console accounts (the password is asked for)
python -m assistant purge [--older-than 90d]     delete citizens' data older than RETENTION_DAYS
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from assistant.database import Database, DatabaseUnavailable
from assistant.operators import OperatorAccounts, Role
from assistant.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the schema up to date, load no demo data")
    seed = commands.add_parser("seed", help="migrate and load the demo dossiers (idempotent)")
    seed.add_argument("--catalogue", type=Path, help="procedures to attach (default: the demo catalogue)")
    operators = commands.add_parser("operators", help="accounts of the operator console")
    actions = operators.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an operator, or reset their password and role")
    add.add_argument("name")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.OPERATOR.value)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    remove = actions.add_parser("remove", help="delete an operator")
    remove.add_argument("name")
    actions.add_parser("list", help="list operators and roles")
    purge = commands.add_parser("purge", help="delete citizens' data older than the retention")
    purge.add_argument(
        "--older-than", help="e.g. 90d or 36h (default: RETENTION_DAYS days)", metavar="DURATION"
    )
    args = parser.parse_args(argv)

    settings = Settings()
    database = Database(settings.database_url)
    shown = database.engine.url.render_as_string(hide_password=True)
    try:
        database.ensure_schema()
        if args.command == "migrate":
            print(f"database {shown} migrated")
            return 0
        if args.command == "seed":
            return _seed(database, settings, args.catalogue, shown)
        if args.command == "purge":
            return _purge(database, settings, args.older_than)
        return _operators(database, args)
    except DatabaseUnavailable as exc:
        print(f"database unavailable ({exc}); check DATABASE_URL", file=sys.stderr)
        return 1
    finally:
        database.dispose()


def _seed(database: Database, settings: Settings, catalogue: Path | None, shown: str) -> int:
    from assistant.seed import DEMO_DOSSIERS, seed
    from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue

    procedures = list(load_catalogue(catalogue or DEMO_CATALOGUE).procedures)
    created, updated = seed(database, settings, procedures)
    print(f"database {shown} migrated")
    print(f"seed: {created} demo dossiers created, {updated} updated. Try them in the chat:")
    for demo in DEMO_DOSSIERS:
        print(
            f"  {demo.code:<28} {demo.status.info.label:<38} ({demo.note}; 4 số cuối SĐT: {demo.phone[-4:]})"
        )
    return 0


def _purge(database: Database, settings: Settings, older_than: str | None) -> int:
    from datetime import timedelta

    from assistant.retention import parse_duration, purge

    try:
        age = parse_duration(older_than) if older_than else timedelta(days=settings.retention_days)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    counts = purge(database, age)
    print(f"purge: older than {age}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return 0


def _operators(database: Database, args: argparse.Namespace) -> int:
    accounts = OperatorAccounts(database)
    if args.action == "add":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                print("Hai lần nhập mật khẩu không khớp.", file=sys.stderr)
                return 2
        if len(password) < 8:
            print("Mật khẩu cần ít nhất 8 ký tự.", file=sys.stderr)
            return 2
        accounts.add(args.name, password, Role(args.role))
        print(f"Đã lưu cán bộ {args.name} ({args.role}).")
    elif args.action == "remove":
        if not accounts.remove(args.name):
            print(f"Không có cán bộ {args.name}.", file=sys.stderr)
            return 1
        print(f"Đã xoá cán bộ {args.name}.")
    else:
        for name, role in accounts.list():
            print(f"{name}\t{role}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
