"""Manage operator accounts of the console: ``python -m api.operators add NAME --role admin``.

The password is asked for interactively, or read from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from actions.db import make_engine
from api.auth import OperatorAccounts, Role
from api.db import create_tables, session_factory
from api.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.operators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an operator, or reset their password and role")
    add.add_argument("name")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.OPERATOR.value)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    remove = commands.add_parser("remove", help="delete an operator")
    remove.add_argument("name")
    commands.add_parser("list", help="list operators and roles")
    args = parser.parse_args(argv)

    engine = make_engine(get_settings().database_url)
    create_tables(engine)
    accounts = OperatorAccounts(session_factory(engine))
    if args.command == "add":
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
    elif args.command == "remove":
        if not accounts.remove(args.name):
            print(f"Không có cán bộ {args.name}.", file=sys.stderr)
            return 1
        print(f"Đã xoá cán bộ {args.name}.")
    else:
        for name, role in accounts.list():
            print(f"{name}\t{role}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
