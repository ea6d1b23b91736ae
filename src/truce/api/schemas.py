"""Response models of the API beyond the exports' (events are :mod:`truce.reports`' models)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from truce.store import StoredDocument


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
