"""Vietnamese phone numbers, typed or shared, validated with `phonenumbers`."""

from __future__ import annotations

import phonenumbers


def normalize_vn_phone(raw: str) -> str | None:
    """E.164 (+84...) for a valid Vietnamese number, else None."""
    try:
        number = phonenumbers.parse(raw.strip(), "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or number.country_code != 84:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """0905 123 456, the way Vietnamese people write their numbers."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
