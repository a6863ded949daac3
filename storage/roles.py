"""Staff roles and the single-use invite codes that grant them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.invites import InviteStatus, invite_status
from domain.roles import Role
from storage.db import Database
from storage.times import from_db, to_db


@dataclass(frozen=True)
class StaffMember:
    telegram_id: int
    role: Role
    display_name: str | None


class Roles:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored_role(self, telegram_id: int) -> str | None:
        role = await self.db.fetchval("SELECT role FROM roles WHERE telegram_id = ?", (telegram_id,))
        return None if role is None else str(role)

    async def grant(self, telegram_id: int, role: Role, granted_by: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO roles (telegram_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (telegram_id) DO UPDATE SET role = excluded.role,"
            " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
            (telegram_id, role.value, granted_by, to_db(now)),
        )

    async def revoke(self, telegram_id: int) -> bool:
        return await self.db.execute("DELETE FROM roles WHERE telegram_id = ?", (telegram_id,)) > 0

    async def staff(self) -> list[StaffMember]:
        rows = await self.db.fetchall(
            "SELECT r.telegram_id, r.role, p.display_name FROM roles r"
            " LEFT JOIN participants p ON p.telegram_id = r.telegram_id ORDER BY r.role, p.display_name"
        )
        return [StaffMember(row["telegram_id"], Role(row["role"]), row["display_name"]) for row in rows]

    async def create_invite(self, code: str, role: Role, created_by: int, now: datetime, expires: datetime) -> None:
        await self.db.execute(
            "INSERT INTO invite_codes (code, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (code, role.value, created_by, to_db(now), to_db(expires)),
        )

    async def redeem_invite(self, code: str, telegram_id: int, now: datetime) -> tuple[InviteStatus, Role | None]:
        """Check and use a code in one transaction, so two people can never both redeem it."""
        async with self.db.transaction() as conn:
            row = await conn.fetchone("SELECT * FROM invite_codes WHERE code = ?", (code,))
            status = invite_status(
                found=row is not None,
                used_at=from_db(row["used_at"]) if row and row["used_at"] else None,
                revoked_at=from_db(row["revoked_at"]) if row and row["revoked_at"] else None,
                expires_at=from_db(row["expires_at"]) if row else None,
                now=now,
            )
            if status is not InviteStatus.VALID or row is None:
                return status, None
            role = Role(row["role"])
            await conn.execute(
                "UPDATE invite_codes SET used_by = ?, used_at = ? WHERE code = ?", (telegram_id, to_db(now), code)
            )
            await conn.execute(
                "INSERT INTO roles (telegram_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (telegram_id) DO UPDATE SET role = excluded.role,"
                " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
                (telegram_id, role.value, row["created_by"], to_db(now)),
            )
            return status, role
