"""Set a membership row on or off: a reaction, a dot vote, a sign-up, an endorsement.

Each is a row that exists while someone says "yes" (one per person and thing, held by a
unique constraint). The café's services and Open Space's set them through ``set_row``.
"""

from django.db.models import Model


def set_row(model: type[Model], *, on: bool, **keys) -> bool:
    """Make the row of ``model`` with ``keys`` exist (``on``) or not; whether it changed.

    Setting it on twice stores one row; setting it off when there is none changes nothing.
    """
    if on:
        _, created = model.objects.get_or_create(**keys)
        return created
    deleted, _ = model.objects.filter(**keys).delete()
    return deleted > 0
