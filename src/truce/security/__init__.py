"""truce.security: who is who, and how they prove it.

User accounts with argon2id passwords and rate-limited log-ins (`accounts`), API tokens
(`tokens`), web sessions with their CSRF tokens (`sessions`). Verifying the audit log,
signed checkpoints of it and reclassifying records are `audit`. The rules of who may see and do
what are `truce.core.access`; the SQL is `truce.store.accounts`. No secret (password, token,
session secret) is ever logged, audited, put in an error message or shown in a repr.
"""

from truce.security.accounts import (
    LoginLimiter,
    User,
    add_user,
    authenticate,
    disable_user,
    get_user,
    list_users,
)
from truce.security.audit import (
    AuditProblem,
    AuditReport,
    Checkpoint,
    audit_log,
    generate_key,
    read_checkpoint,
    reclassify,
    verify_audit,
    verify_chain,
    write_checkpoint,
)
from truce.security.sessions import (
    SESSION_LIFETIME,
    ActiveSession,
    IssuedSession,
    check_csrf,
    csrf_token,
    end_session,
    session_for,
    start_session,
)
from truce.security.tokens import (
    MAX_TOKEN_LIFETIME,
    IssuedToken,
    TokenInfo,
    create_token,
    list_tokens,
    principal_for_token,
    revoke_token,
)

__all__ = [
    "MAX_TOKEN_LIFETIME",
    "SESSION_LIFETIME",
    "ActiveSession",
    "AuditProblem",
    "AuditReport",
    "Checkpoint",
    "IssuedSession",
    "IssuedToken",
    "LoginLimiter",
    "TokenInfo",
    "User",
    "add_user",
    "audit_log",
    "authenticate",
    "check_csrf",
    "create_token",
    "csrf_token",
    "disable_user",
    "end_session",
    "generate_key",
    "get_user",
    "list_tokens",
    "list_users",
    "principal_for_token",
    "read_checkpoint",
    "reclassify",
    "revoke_token",
    "session_for",
    "start_session",
    "verify_audit",
    "verify_chain",
    "write_checkpoint",
]
