"""Whether a value fits the database column that will hold it, with the limits read from the model
field itself (max_digits and decimal_places, or the integer type's range), so a change of column
changes every check: the importers, the forms and the API all ask here before anything is saved.
Link columns carry `validate_web_address` (http or https only)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from oversight.lib.links import web_address_problem
from oversight.lib.numbers import fits_decimal, fits_integer


def column_problem(model: type[models.Model], name: str, value: Decimal | int) -> str | None:
    """Why `value` cannot be stored in `model.name`, in words with the limit, or None."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        return fits_decimal(Decimal(value), field.max_digits, field.decimal_places)
    if isinstance(field, models.IntegerField):
        # The portable ranges (PostgreSQL's): SQLite would hold more, but the data must move.
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        return fits_integer(int(value), low, high)
    raise TypeError(f"{model.__name__}.{name} is not a number column")


def validate_web_address(value: str) -> None:
    """A link column holds only web addresses (http or https): never a `javascript:` link."""
    if value and (why := web_address_problem(value)):
        raise ValidationError(why)


def validate_web_addresses(value: list) -> None:
    """A list of links (a decision's documents): each a web address."""
    for item in value or []:
        if not isinstance(item, str):
            raise ValidationError(f"{item!r} is not a web address")
        validate_web_address(item)
