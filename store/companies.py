"""A saved company as a JSON document: the company the model runs, its currency, and the form as typed.

``format``          always ``"support-roi-company"``
``schema_version``  1
``name``            the company's name (unique among the workspace's live companies)
``currency``        the currency every amount of the company is entered in
``company``         the model's Company (:func:`model.serialize.to_dict`), checked again on every read
``draft``           the form as the user typed it (:mod:`view.company_form`), so editing starts from it

A saved company is always a valid one; unfinished work lives in the workspace's draft item.
"""

from __future__ import annotations

import json
from typing import Any

from model import CURRENCIES, Company, company_from_dict, to_dict
from store.documents import MAX_DOCUMENT_BYTES, DocumentError, clean_name

COMPANY_FORMAT = "support-roi-company"
COMPANY_SCHEMA = 1


def company_document(company: Company, currency: str, draft: dict[str, Any] | None = None) -> dict[str, Any]:
    """A current-schema company document; DocumentError on a bad name, currency or draft."""
    return validate_company({"format": COMPANY_FORMAT, "schema_version": COMPANY_SCHEMA, "name": company.name,
                             "currency": currency, "company": to_dict(company), "draft": dict(draft or {})})


def validate_company(doc: Any) -> dict[str, Any]:
    """Check a company document field by field; the Company is rebuilt so the model's checks run again."""
    if not isinstance(doc, dict):
        raise DocumentError([f"expected a JSON object, found {type(doc).__name__}"])
    problems: list[str] = []
    if doc.get("format") != COMPANY_FORMAT or doc.get("schema_version") != COMPANY_SCHEMA:
        problems.append(f"not a company saved by the Support ROI simulator (format {COMPANY_FORMAT!r}, "
                        f"schema {COMPANY_SCHEMA})")
    unknown = sorted(set(doc) - {"format", "schema_version", "name", "currency", "company", "draft"})
    if unknown:
        problems.append(f"unknown fields: {', '.join(str(u)[:40] for u in unknown[:5])}")
    out = dict(doc)
    try:
        out["name"] = clean_name(doc.get("name"), "company name")
    except DocumentError as exc:
        problems += exc.problems
    if doc.get("currency") not in CURRENCIES:
        problems.append(f"the currency must be one of {', '.join(CURRENCIES)}")
    try:
        company = company_from_dict(doc.get("company"))
        if company.name != out.get("name"):
            problems.append("the company's own name differs from the document's name")
    except ValueError as exc:
        problems.append(f"the company cannot be used: {exc}")
    draft = doc.get("draft", {})
    if not isinstance(draft, dict) or len(json.dumps(draft, allow_nan=False)) > MAX_DOCUMENT_BYTES:
        problems.append("the draft must be an object of at most 1 MB")
    if problems:
        raise DocumentError(problems)
    return out


def company_of(doc: dict[str, Any]) -> Company:
    """The Company a (validated) document holds."""
    return company_from_dict(doc["company"])
