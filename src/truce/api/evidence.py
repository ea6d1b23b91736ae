"""The ``/api/evidence`` routes: evidence files and their chain of custody (truce.evidence).

An upload is streamed from the request body into the vault as it arrives, never held in
memory nor spooled whole first: the vault hashes it, counts it against the size limit and
sniffs its type from its first bytes, so an oversized or unaccepted file is refused as soon as
that shows. The form's text fields may come before or after the file.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from truce.api.responses import (
    denied,
    not_found,
    router_errors,
)
from truce.core.access import Classification
from truce.core.errors import InputError
from truce.evidence import (
    CustodyEntry,
    EvidenceRecord,
    EvidenceVault,
    IncomingFile,
    WorkingCopy,
    add_received_evidence,
    check_may_add,
    get_evidence,
    list_evidence,
)
from truce.theatre import load_pack
from truce.web.viewer import request_store, request_viewer

#: the app.state attribute of a vault set by whoever builds the app (else $TRUCE_EVIDENCE_DIR)
VAULT_STATE: Final = "evidence_vault"
FILE_FIELD: Final = "file"
TEXT_FIELDS: Final = frozenset(
    {
        "received_from",
        "received_by",
        "received_at",
        "description",
        "classification",
        "owner_party",
    }
)
#: fields sent by the web pages' forms that the upload itself ignores
IGNORED_FIELDS: Final = frozenset({"csrf_token"})
MAX_TEXT_FIELD_BYTES: Final = 64 * 1024

router = APIRouter(
    prefix="/api",
    tags=["evidence"],
    responses=router_errors("A parameter or the file is not acceptable"),
)


class CustodyOut(BaseModel):
    """One link of the chain of custody."""

    id: int
    action: str = Field(description="received, handover, copied, exported or verified")
    from_whom: str | None = Field(description="who handed the file over")
    to_whom: str | None = Field(description="who received it (or where it was exported to)")
    at: dt.datetime
    recorded_by: str = Field(description="the user who recorded this entry")
    note: str | None
    sha256_checked: str | None = Field(description="the original's SHA-256 as re-read then")

    @classmethod
    def from_entry(cls, entry: CustodyEntry) -> CustodyOut:
        return cls.model_validate(entry, from_attributes=True)


class WorkingCopyOut(BaseModel):
    """A copy of the original made for analysis."""

    id: int
    sha256: str = Field(description="of the copy when it was made")
    purpose: str
    created_by: str
    created_at: dt.datetime

    @classmethod
    def from_copy(cls, copy: WorkingCopy) -> WorkingCopyOut:
        return cls.model_validate(copy, from_attributes=True)


class EvidenceOut(BaseModel):
    """An evidence file: its record, chain of custody (oldest first) and working copies."""

    id: int
    sha256: str = Field(description="SHA-256 of the original's bytes, taken on receipt")
    size: int = Field(description="bytes")
    media_type: str = Field(description="sniffed from the file's bytes")
    original_name: str
    description: str | None
    received_from: str
    received_by: str
    received_at: dt.datetime
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    custody: list[CustodyOut]
    copies: list[WorkingCopyOut]

    @classmethod
    def from_record(cls, record: EvidenceRecord) -> EvidenceOut:
        fields = {name: getattr(record, name) for name in cls.model_fields}
        fields["custody"] = [CustodyOut.from_entry(entry) for entry in record.custody]
        fields["copies"] = [WorkingCopyOut.from_copy(copy) for copy in record.copies]
        return cls.model_validate(fields)


class EvidenceListOut(BaseModel):
    """A page of evidence files, the last added first."""

    items: list[EvidenceOut]
    limit: int
    offset: int
    next_offset: int | None = Field(description="the offset of the next page, if it may exist")


UPLOAD_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": [FILE_FIELD, "received_from", "received_by"],
    "properties": {
        FILE_FIELD: {
            "type": "string",
            "format": "binary",
            "description": "a photo, PDF, video or audio file (the type is read from its "
            "bytes; at most $TRUCE_MAX_EVIDENCE_MB megabytes)",
        },
        "received_from": {"type": "string", "description": "who handed the file over"},
        "received_by": {"type": "string", "description": "who received it"},
        "received_at": {
            "type": "string",
            "format": "date-time",
            "description": "when, with its time zone (default: now)",
        },
        "description": {"type": "string", "description": "what the file shows"},
        "classification": {
            "type": "string",
            "enum": [level.value for level in Classification],
            "default": Classification.COMMITTEE.value,
        },
        "owner_party": {"type": "string", "description": "a party of the theatre pack"},
    },
}


def request_vault(request: Request) -> EvidenceVault:
    """The vault the app was given, else the one $TRUCE_EVIDENCE_DIR names."""
    vault = getattr(request.app.state, VAULT_STATE, None)
    return vault if isinstance(vault, EvidenceVault) else EvidenceVault.from_env()


@router.get("/evidence", summary="Evidence files, the last added first")
def list_evidence_files(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000, description="page size")] = 100,
    offset: Annotated[int, Query(ge=0, description="records to skip")] = 0,
) -> EvidenceListOut:
    records = list_evidence(
        request_store(request), viewer=request_viewer(request), limit=limit, offset=offset
    )
    return EvidenceListOut(
        items=[EvidenceOut.from_record(record) for record in records],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if len(records) == limit else None,
    )


@router.get(
    "/evidence/{evidence_id}",
    summary="One evidence file with its chain of custody and working copies",
    responses=not_found("No evidence with this id"),
)
def get_evidence_file(request: Request, evidence_id: int) -> EvidenceOut:
    record = get_evidence(request_store(request), evidence_id, viewer=request_viewer(request))
    return EvidenceOut.from_record(record)


@router.post(
    "/evidence",
    status_code=201,
    summary="Upload an evidence file (multipart/form-data); the same bytes again give the "
    "record already kept",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": UPLOAD_SCHEMA}},
        }
    },
    responses=denied("Not allowed to add this evidence"),
)
async def upload_evidence(request: Request) -> EvidenceOut:
    viewer = request_viewer(request)
    check_may_add(viewer)  # before a byte of the file is read
    vault = request_vault(request)
    upload = _StreamedUpload(vault)
    try:
        await upload.read(request)
        incoming, fields = upload.complete()
        owner_party = fields.get("owner_party")
        add = partial(
            add_received_evidence,
            request_store(request),
            vault,
            await run_in_threadpool(incoming.finish),
            received_from=fields.get("received_from", ""),
            received_by=fields.get("received_by", ""),
            received_at=_time(fields.get("received_at")),
            description=fields.get("description"),
            classification=_classification(fields.get("classification")),
            owner_party=load_pack().party(owner_party) if owner_party else None,
            by=viewer,
        )
        record = await run_in_threadpool(add)
    finally:
        upload.discard()
    return EvidenceOut.from_record(record)


class _StreamedUpload:
    """A multipart body parsed as it streams in: text fields kept, the one file part written
    into the vault chunk by chunk."""

    def __init__(self, vault: EvidenceVault) -> None:
        self._vault = vault
        self.fields: dict[str, str] = {}
        self.incoming: IncomingFile | None = None
        self._ended = False
        self._file_ended = False
        self._pending: list[bytes] = []  # file bytes parsed from the last chunk of the body
        self._header_name = b""
        self._header_value = b""
        self._part: str | None = None  # the name of the field being read
        self._part_is_file = False
        self._value = bytearray()

    async def read(self, request: Request) -> None:
        content_type, options = parse_options_header(request.headers.get("content-type"))
        boundary = options.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            raise InputError(
                "an upload is a multipart/form-data body with a file field", source="body"
            )
        parser = MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value_part,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_end": self._end,
            },
        )
        try:
            async for chunk in request.stream():
                parser.write(chunk)
                if self._pending:
                    assert self.incoming is not None
                    data = b"".join(self._pending)
                    self._pending.clear()
                    await run_in_threadpool(self.incoming.write, data)
            parser.finalize()
        except FormParserError as error:
            raise InputError(f"the multipart body is malformed: {error}", source="body") from None

    def complete(self) -> tuple[IncomingFile, dict[str, str]]:
        """The file part, received whole, and the text fields."""
        if not self._ended:
            raise InputError("the multipart body ended before its last part", source="body")
        if self.incoming is None or not self._file_ended:
            raise InputError("no file: send it in the form field 'file'", source=FILE_FIELD)
        return self.incoming, self.fields

    def discard(self) -> None:
        if self.incoming is not None:
            self.incoming.discard()

    # python-multipart's callbacks

    def _part_begin(self) -> None:
        self._part = None
        self._part_is_file = False
        self._value.clear()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            _, options = parse_options_header(self._header_value)
            self._part = options.get(b"name", b"").decode("utf-8", errors="replace")
            filename = options.get(b"filename")
            self._part_is_file = filename is not None
            if filename is not None:
                self._start_file(filename.decode("utf-8", errors="replace"))
        self._header_name = b""
        self._header_value = b""

    def _start_file(self, filename: str) -> None:
        if self._part != FILE_FIELD:
            raise InputError(f"unexpected file in field {self._part!r}", source=self._part)
        if self.incoming is not None:
            raise InputError("one file per upload", source=FILE_FIELD)
        self.incoming = self._vault.receive(filename)

    def _headers_finished(self) -> None:
        if self._part is None:
            raise InputError("a part of the form has no name", source="body")
        if not self._part_is_file and self._part not in TEXT_FIELDS | IGNORED_FIELDS:
            known = ", ".join(sorted(TEXT_FIELDS | {FILE_FIELD}))
            raise InputError(f"unknown field; the form's fields are {known}", source=self._part)
        if self._part in self.fields:
            raise InputError("given twice", source=self._part)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part_is_file:
            self._pending.append(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > MAX_TEXT_FIELD_BYTES:
            raise InputError(f"longer than {MAX_TEXT_FIELD_BYTES} bytes", source=self._part)

    def _part_end(self) -> None:
        if self._part_is_file:
            self._file_ended = True
            return
        assert self._part is not None
        if self._part in IGNORED_FIELDS:
            return
        try:
            self.fields[self._part] = self._value.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("is not UTF-8 text", source=self._part) from None

    def _end(self) -> None:
        self._ended = True


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{value!r} is not an ISO 8601 time, e.g. 2024-12-06T10:30:00+02:00",
            source="received_at",
        ) from None


def _classification(value: str | None) -> Classification:
    if not value:
        return Classification.COMMITTEE
    try:
        return Classification(value)
    except ValueError:
        known = ", ".join(level.value for level in Classification)
        raise InputError(f"{value!r} is not one of {known}", source="classification") from None
