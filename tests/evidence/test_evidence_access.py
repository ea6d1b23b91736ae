"""Evidence files are records like the others: who sees them and who may record custody."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from builders import SYSTEM
from evidence_sample import (
    CHAIR,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    MONITOR,
    OBSERVER,
    jpeg,
    pdf,
    png,
)
from truce.core.access import Classification, Principal
from truce.core.errors import NotFoundError, PermissionDeniedError
from truce.evidence import (
    EvidenceRecord,
    EvidenceVault,
    add_evidence,
    check_may_add,
    export_original,
    get_evidence,
    list_evidence,
    make_working_copy,
    record_handover,
    verify_vault,
)
from truce.store import Store
from truce.store.schema import audit_log, custody_events, evidence_files


def add(
    store: Store,
    vault: EvidenceVault,
    content: bytes,
    *,
    by: Principal = SYSTEM,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
) -> EvidenceRecord:
    return add_evidence(
        store,
        vault,
        io.BytesIO(content),
        original_name="file.jpg",
        received_from="a source",
        received_by=by.name,
        by=by,
        classification=classification,
        owner_party=owner_party,
    )


def rows(store: Store, table: sa.Table) -> int:
    with store.reading("counting") as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


@pytest.fixture
def filed(store: Store, vault: EvidenceVault) -> dict[str, EvidenceRecord]:
    """Evidence at each level: public, committee, restricted to israel and to lebanon."""
    return {
        "public": add(store, vault, jpeg("public"), classification=Classification.PUBLIC),
        "committee": add(store, vault, jpeg("committee")),
        "israel": add(
            store,
            vault,
            png("israel"),
            classification=Classification.RESTRICTED,
            owner_party="israel",
        ),
        "lebanon": add(
            store,
            vault,
            pdf("lebanon"),
            classification=Classification.RESTRICTED,
            owner_party="lebanon",
        ),
    }


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        (Principal.public(), {"public"}),
        (OBSERVER, {"public", "committee"}),
        (MONITOR, {"public", "committee"}),
        (LEBANON_DELEGATE, {"public", "committee", "lebanon"}),
        (ISRAEL_DELEGATE, {"public", "committee", "israel"}),
        (CHAIR, {"public", "committee", "israel", "lebanon"}),
    ],
)
def test_each_viewer_gets_and_lists_only_what_it_may_see(
    store: Store, filed: dict[str, EvidenceRecord], viewer: Principal, sees: set[str]
) -> None:
    listed = {record.id for record in list_evidence(store, viewer=viewer)}
    assert listed == {filed[name].id for name in sees}
    for name, record in filed.items():
        if name in sees:
            assert get_evidence(store, record.id, viewer=viewer) == record
        else:
            with pytest.raises(NotFoundError) as hidden:
                get_evidence(store, record.id, viewer=viewer)
            with pytest.raises(NotFoundError) as absent:
                get_evidence(store, 999_999, viewer=viewer)
            # hidden and absent read the same but for the id asked for
            assert str(hidden.value) == str(absent.value).replace("999999", str(record.id))


def test_only_writers_may_add_and_delegates_only_for_their_party(
    store: Store, vault: EvidenceVault
) -> None:
    for reader in (Principal.public(), OBSERVER):
        with pytest.raises(PermissionDeniedError):
            check_may_add(reader)
        with pytest.raises(PermissionDeniedError):
            add(store, vault, jpeg("by a reader"), by=reader)
    with pytest.raises(PermissionDeniedError, match="only file records of lebanon"):
        add(
            store,
            vault,
            jpeg("for israel"),
            by=LEBANON_DELEGATE,
            classification=Classification.RESTRICTED,
            owner_party="israel",
        )
    assert rows(store, evidence_files) == 0
    assert not any((vault.root / "tmp").glob("*"))
    own = add(
        store,
        vault,
        jpeg("own"),
        by=LEBANON_DELEGATE,
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    assert (own.owner_party, own.custody[0].recorded_by) == ("lebanon", "delegate-lebanon")
    check_may_add(MONITOR)


def test_the_same_file_from_another_party_reveals_nothing_and_records_nothing(
    store: Store, vault: EvidenceVault, filed: dict[str, EvidenceRecord]
) -> None:
    before = (rows(store, custody_events), rows(store, audit_log))
    with pytest.raises(PermissionDeniedError) as refused:
        add(
            store,
            vault,
            png("israel"),  # the bytes of israel's restricted file
            by=LEBANON_DELEGATE,
            classification=Classification.RESTRICTED,
            owner_party="lebanon",
        )
    assert "israel" not in str(refused.value)
    assert str(filed["israel"].id) not in str(refused.value)
    assert (rows(store, custody_events), rows(store, audit_log)) == before


def test_custody_of_another_partys_record_is_not_theirs_to_record(
    store: Store, vault: EvidenceVault, filed: dict[str, EvidenceRecord], tmp_path: Path
) -> None:
    israel_committee = add(
        store, vault, jpeg("israel committee"), by=ISRAEL_DELEGATE, owner_party="israel"
    )
    # lebanon's delegate sees the committee record of israel, but may not write to it...
    assert get_evidence(store, israel_committee.id, viewer=LEBANON_DELEGATE) == israel_committee
    before = rows(store, custody_events)
    with pytest.raises(PermissionDeniedError):
        record_handover(
            store, vault, israel_committee.id, from_whom="x", to_whom="y", by=LEBANON_DELEGATE
        )
    with pytest.raises(PermissionDeniedError):
        make_working_copy(store, vault, israel_committee.id, purpose="look", by=LEBANON_DELEGATE)
    with pytest.raises(PermissionDeniedError):
        export_original(store, vault, israel_committee.id, tmp_path / "x.jpg", by=LEBANON_DELEGATE)
    # ...and israel's restricted record does not exist as far as lebanon can tell
    with pytest.raises(NotFoundError):
        record_handover(
            store, vault, filed["israel"].id, from_whom="x", to_whom="y", by=LEBANON_DELEGATE
        )
    with pytest.raises(NotFoundError):
        make_working_copy(store, vault, filed["israel"].id, purpose="look", by=LEBANON_DELEGATE)
    assert rows(store, custody_events) == before
    assert not (tmp_path / "x.jpg").exists()
    entry = record_handover(
        store, vault, filed["israel"].id, from_whom="x", to_whom="y", by=ISRAEL_DELEGATE
    )
    assert entry.recorded_by == "delegate-israel"


def test_only_a_principal_that_sees_everything_verifies_the_vault(
    store: Store, vault: EvidenceVault, filed: dict[str, EvidenceRecord]
) -> None:
    for partial in (MONITOR, LEBANON_DELEGATE, OBSERVER):
        with pytest.raises(PermissionDeniedError, match="may not verify"):
            verify_vault(store, vault, by=partial)
    assert verify_vault(store, vault, by=CHAIR).checked == len(filed)
