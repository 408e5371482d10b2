"""Operator accounts of the console: scrypt hashes, roles, reset and removal."""

from __future__ import annotations

from assistant.database import Database
from assistant.operators import OperatorAccounts, Role, hash_password, verify_password


def test_mat_khau_duoc_bam_bang_scrypt() -> None:
    stored = hash_password("bí mật")
    assert stored.startswith("scrypt$") and "bí mật" not in stored
    assert verify_password("bí mật", stored)
    assert not verify_password("bi mat", stored)


def test_tai_khoan_can_bo(database: Database) -> None:
    accounts = OperatorAccounts(database)
    accounts.add("canbo.lan", "mat-khau-dai-1", Role.OPERATOR)
    assert accounts.authenticate("canbo.lan", "mat-khau-dai-1") is Role.OPERATOR
    assert accounts.authenticate("canbo.lan", "sai") is None
    accounts.add("canbo.lan", "mat-khau-moi-2", Role.ADMIN)  # reset password and role
    assert accounts.authenticate("canbo.lan", "mat-khau-moi-2") is Role.ADMIN
    assert accounts.list() == [("canbo.lan", "admin")]
    assert accounts.remove("canbo.lan") and not accounts.remove("canbo.lan")
