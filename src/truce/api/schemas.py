"""The API's shared models: the bases of its request and response bodies, the error body, and
the stored document (events are :mod:`truce.reports`' models)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field

from truce.store import StoredDocument


class RequestModel(BaseModel):
    """A request body: a field it does not know is refused (422), not ignored."""

    model_config = ConfigDict(extra="forbid")


class ResponseModel(BaseModel):
    """A response body: immutable, and read from a library record's attributes."""

    model_config = ConfigDict(frozen=True, from_attributes=True)


#: the note a write may carry, kept with the record
Note = Annotated[str | None, Field(description="said with it, for the record")]

#: the most incidents or evidence files one request links
MAX_LINKS: Final = 500
#: the records a request links; a default of ``[]`` is safe, pydantic copies it per request
LinkIds = Annotated[list[int], Field(max_length=MAX_LINKS)]


class ErrorOut(BaseModel):
    """Every error the API returns on purpose."""

    detail: str = Field(description="what was wrong, naming the parameter where one was")


class DocumentOut(StoredDocument):
    """A stored document."""

    # the store's record as the API shows it: `doc_id` named `id`, the bookkeeping left out,
    # and no "additionalProperties: false" in the OpenAPI schema of a response
    model_config = ConfigDict(extra="ignore")

    doc_id: str = Field(
        serialization_alias="id", description="the id it came with (events' doc_id)"
    )
    created_at: dt.datetime = Field(exclude=True)

    @classmethod
    def from_stored(cls, stored: StoredDocument) -> DocumentOut:
        return cls.model_validate(stored, from_attributes=True)
