"""Automatic theming and every change a harvester makes to themes, quotes and conclusions."""

from collections.abc import Callable, Collection, Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max, QuerySet

from events.models import Event
from harvest.errors import HarvestError, check_length
from harvest.models import EventHarvest, Theme, ThemeKind, ThemeNote, ThemeSource
from harvest.selectors import Redactor, draft_themes, harvestable_notes, themable_groups
from harvest.services.history import curate

MAX_QUOTES = 5


def _fresh_theme(theme: Theme, *, event: Event | None = None) -> Theme:
    """Re-read a theme under the lock; another harvester may have merged it away."""
    try:
        fresh = Theme.objects.select_for_update().get(pk=theme.pk)
    except Theme.DoesNotExist:
        raise HarvestError(
            "That theme no longer exists: another harvester merged or replaced it. "
            "The page now shows the latest themes."
        ) from None
    if event is not None and fresh.event_id != event.id:
        raise HarvestError("That theme belongs to another event.")
    return fresh


def _fresh_member(member: ThemeNote) -> ThemeNote:
    try:
        return ThemeNote.objects.select_for_update().select_related("theme").get(pk=member.pk)
    except ThemeNote.DoesNotExist:
        raise HarvestError(
            "That note is no longer in a theme: the themes were rebuilt or undone. "
            "The page now shows the latest themes."
        ) from None


def _touch(*themes: Theme) -> None:
    for theme in themes:
        theme.is_curated = True
        theme.save()


def _renumber(themes: Iterable[Theme]) -> None:
    for position, theme in enumerate(themes):
        if theme.position != position:
            theme.position = position
            theme.save(update_fields=["position", "updated_at"])


def _siblings(theme: Theme) -> QuerySet[Theme]:
    """The themes shown in the same row as ``theme`` (same event, kind and round), in the
    order shown: "Not yet themed" last."""
    return Theme.objects.filter(
        event_id=theme.event_id, kind=theme.kind, round_id=theme.round_id
    ).order_by("is_other", "position", "id")


def _next_position(rows: QuerySet[Theme] | QuerySet[ThemeNote]) -> int:
    """The position after the last of ``rows`` (themes of a row, or a theme's notes)."""
    top = rows.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _change_theme(
    theme: Theme,
    *,
    user: AbstractBaseUser | None,
    action: str,
    description: str,
    edit: Callable[[Theme], None],
) -> Theme:
    """Apply ``edit`` to ``theme`` as it is under the lock, and mark it curated: the
    changes a harvester makes to one theme."""

    def change(state: EventHarvest) -> Theme:
        fresh = _fresh_theme(theme)
        edit(fresh)
        _touch(fresh)
        return fresh

    return curate(
        event=theme.event, user=user, action=action, description=description, change=change
    )


# --- automatic theming ------------------------------------------------------------------


def build_themes(
    *, event: Event, replace_curated: bool = False, user: AbstractBaseUser | None = None
) -> list[Theme]:
    """Group the event's notes and plenary chat into themes, per round.

    Themes a harvester has changed are kept, with their notes, unless ``replace_curated``:
    only the other notes are themed again. Can be undone like any curation change.
    """

    def change(state: EventHarvest) -> list[Theme]:
        stale = Theme.objects.filter(event=event)
        if not replace_curated:
            stale = stale.filter(is_curated=False)
        stale.delete()
        placed_notes = set(
            ThemeNote.objects.filter(theme__event=event, note__isnull=False).values_list(
                "note_id", flat=True
            )
        )
        placed_messages = set(
            ThemeNote.objects.filter(theme__event=event, message__isnull=False).values_list(
                "message_id", flat=True
            )
        )
        redactor = Redactor(event)
        created = []
        for group in themable_groups(event=event):
            placed = placed_notes if group.kind == ThemeKind.NOTES else placed_messages
            group.items = [obj for obj in group.items if obj.id not in placed]
            if not group.items:
                continue
            start = _next_position(
                Theme.objects.filter(event=event, kind=group.kind, round_id=group.round_id)
            )
            for offset, draft in enumerate(draft_themes(group=group, redactor=redactor)):
                theme = Theme.objects.create(
                    event=event,
                    round_id=group.round_id,
                    kind=group.kind,
                    title=draft.title[:200],
                    summary=draft.summary,
                    position=start + offset,
                    is_other=draft.is_other,
                    source=ThemeSource.AUTO,
                )
                field = "note_id" if group.kind == ThemeKind.NOTES else "message_id"
                ThemeNote.objects.bulk_create(
                    ThemeNote(
                        theme=theme,
                        position=position,
                        is_quote=key in draft.quotes,
                        is_duplicate=key in draft.duplicates,
                        **{field: key},
                    )
                    for position, key in enumerate(draft.keys)
                )
                created.append(theme)
        return created

    what = "all themes" if replace_curated else "automatic themes"
    description = f"Re-ran automatic theming ({what})"
    return curate(event=event, user=user, action="build", description=description, change=change)


def has_curated_themes(*, event: Event) -> bool:
    return Theme.objects.filter(event=event, is_curated=True).exists()


# --- curation ---------------------------------------------------------------------------


def rename_theme(*, theme: Theme, title: str, user: AbstractBaseUser | None) -> Theme:
    title = " ".join(title.split())
    if not title:
        raise HarvestError("Give the theme a title of a few words.")
    check_length(title, limit=200, error="A theme title must be at most 200 characters.")

    def rename(fresh: Theme) -> None:
        fresh.title = title
        fresh.is_other = False

    description = f"Renamed “{theme.title}” to “{title}”"
    return _change_theme(theme, user=user, action="rename", description=description, edit=rename)


def rewrite_summary(*, theme: Theme, summary: str, user: AbstractBaseUser | None) -> Theme:
    summary = check_length(
        summary.strip(),
        limit=1000,
        error="A theme summary must be at most 1000 characters: one sentence.",
    )

    def rewrite(fresh: Theme) -> None:
        fresh.summary = summary

    description = f"Rewrote the summary of “{theme.title}”"
    return _change_theme(theme, user=user, action="summary", description=description, edit=rewrite)


def merge_themes(*, source: Theme, target: Theme, user: AbstractBaseUser | None) -> Theme:
    """Move every note of ``source`` into ``target`` and remove ``source``."""
    if source.pk == target.pk:
        raise HarvestError("Choose another theme to merge into.")

    def change(state: EventHarvest) -> Theme:
        src, dst = _fresh_theme(source), _fresh_theme(target, event=source.event)
        if (src.kind, src.round_id) != (dst.kind, dst.round_id):
            raise HarvestError("Only themes of the same round (notes or chat) can be merged.")
        position = _next_position(dst.members)
        for offset, member in enumerate(src.members.order_by("position", "id")):
            member.theme = dst
            member.position = position + offset
            member.save()
        src.delete()
        dst.is_other = False
        _touch(dst)
        _renumber(_siblings(dst))
        return dst

    description = f"Merged “{source.title}” into “{target.title}”"
    return curate(
        event=source.event, user=user, action="merge", description=description, change=change
    )


def split_theme(
    *, theme: Theme, members: list[ThemeNote], title: str, user: AbstractBaseUser | None
) -> Theme:
    """Make a new theme, right after ``theme``, from some of its notes."""
    title = " ".join(title.split()) or "New theme"
    if not members:
        raise HarvestError("Select the notes that should form the new theme.")

    def change(state: EventHarvest) -> Theme:
        old = _fresh_theme(theme)
        chosen = list(
            ThemeNote.objects.select_for_update()
            .filter(pk__in=[m.pk for m in members], theme=old)
            .order_by("position", "id")
        )
        if len(chosen) != len(members):
            raise HarvestError("Some selected notes are no longer in this theme; try again.")
        new = Theme.objects.create(
            event=old.event,
            round_id=old.round_id,
            kind=old.kind,
            title=title[:200],
            position=old.position,
            source=ThemeSource.MANUAL,
            is_curated=True,
        )
        for position, member in enumerate(sorted(chosen, key=lambda m: (m.position, m.id))):
            member.theme = new
            member.position = position
            member.save()
        _touch(old)
        rest = [t for t in _siblings(old) if t.pk != new.pk]
        rest.insert(rest.index(old) + 1, new)
        _renumber(rest)
        return new

    description = f"Split {len(members)} note(s) from “{theme.title}” into “{title}”"
    return curate(
        event=theme.event, user=user, action="split", description=description, change=change
    )


def move_note(
    *,
    member: ThemeNote,
    target: Theme,
    position: int | None = None,
    user: AbstractBaseUser | None,
) -> ThemeNote:
    """Move a note (or chat message) to another theme of the same round; at the end of
    it unless ``position`` says where."""

    def change(state: EventHarvest) -> ThemeNote:
        fresh = _fresh_member(member)
        dst = _fresh_theme(target, event=fresh.theme.event)
        src = fresh.theme
        if (src.kind, src.round_id) != (dst.kind, dst.round_id):
            raise HarvestError("A note can only move to a theme of the same round.")
        others = list(dst.members.exclude(pk=fresh.pk).order_by("position", "id"))
        at = len(others) if position is None else max(0, min(position, len(others)))
        others.insert(at, fresh)
        fresh.theme = dst
        for index, m in enumerate(others):
            if m.position != index or m.pk == fresh.pk:
                m.position = index
                m.save()
        _touch(src, dst)
        return fresh

    description = f"Moved a note to “{target.title}”"
    return curate(
        event=target.event, user=user, action="move", description=description, change=change
    )


def move_notes(
    *, event: Event, note_ids: Collection[int], target: Theme, user: AbstractBaseUser | None
) -> list[ThemeNote]:
    """Move many notes of one round to the end of ``target`` at once: one change, one undo.

    Notes not yet in a theme (posted after theming) are placed in it too. Nothing moves
    unless every note can: each must be a note of this event's harvest (not hidden, not
    withdrawn) of the theme's round."""
    wanted = set(note_ids)
    if not wanted:
        raise HarvestError("Select at least one note to move.")

    def change(state: EventHarvest) -> list[ThemeNote]:
        dst = _fresh_theme(target, event=event)
        if dst.kind != ThemeKind.NOTES:
            raise HarvestError("Notes from the tables move to a theme of notes, not of chat.")
        notes = list(harvestable_notes(event=event).filter(id__in=wanted))
        if len(notes) != len(wanted):
            raise HarvestError(
                "Some selected notes are not in this event's harvest (another event's, hidden "
                "or withdrawn); nothing was moved. Reload the page and select again."
            )
        elsewhere = [note for note in notes if note.round_id != dst.round_id]
        if elsewhere:
            raise HarvestError(
                f"“{dst.title}” is a theme of round {dst.round.number}, and "
                f"{len(elsewhere)} selected note(s) are of another round; nothing was moved. "
                "Filter to one round, or choose a theme of the notes' round."
            )
        placed = {
            m.note_id: m
            # By id: the default order (the theme's round, an outer join) cannot be locked.
            for m in ThemeNote.objects.select_for_update()
            .select_related("theme")
            .filter(note_id__in=wanted)
            .order_by("pk")
        }
        sources = {m.theme for m in placed.values() if m.theme_id != dst.pk}
        position = _next_position(dst.members)
        moved = []
        for note in notes:
            member = placed.get(note.id) or ThemeNote(note=note)
            if member.pk and member.theme_id == dst.pk:
                moved.append(member)
                continue
            member.theme = dst
            member.position = position
            position += 1
            member.save()
            moved.append(member)
        _touch(*sources, dst)
        return moved

    description = f"Moved {len(wanted)} note{'s' if len(wanted) != 1 else ''} to “{target.title}”"
    return curate(event=event, user=user, action="move", description=description, change=change)


def set_quote(*, member: ThemeNote, is_quote: bool, user: AbstractBaseUser | None) -> ThemeNote:
    """Pin (or unpin) a note as one of its theme's quotes in the report."""

    def change(state: EventHarvest) -> ThemeNote:
        fresh = _fresh_member(member)
        pinned = fresh.theme.members.filter(is_quote=True).count()
        if is_quote and not fresh.is_quote and pinned >= MAX_QUOTES:
            raise HarvestError(
                f"A theme shows at most {MAX_QUOTES} quotes; unpin one before pinning another."
            )
        fresh.is_quote = is_quote
        fresh.save()
        _touch(fresh.theme)
        return fresh

    description = ("Pinned" if is_quote else "Unpinned") + " a quote"
    return curate(
        event=member.theme.event, user=user, action="quote", description=description, change=change
    )


def mark_theme(
    *,
    theme: Theme,
    is_key: bool | None = None,
    is_emerging: bool | None = None,
    user: AbstractBaseUser | None,
) -> Theme:
    """Mark a theme as a key theme and/or an emerging idea for change (or unmark it)."""

    def mark(fresh: Theme) -> None:
        if is_key is not None:
            fresh.is_key = is_key
        if is_emerging is not None:
            fresh.is_emerging = is_emerging

    flags = []
    if is_key is not None:
        flags.append("key theme" if is_key else "not a key theme")
    if is_emerging is not None:
        flags.append("emerging idea" if is_emerging else "not an emerging idea")
    description = f"Marked “{theme.title}” as {' and '.join(flags) or 'unchanged'}"
    return _change_theme(theme, user=user, action="mark", description=description, edit=mark)


def reorder_theme(*, theme: Theme, position: int, user: AbstractBaseUser | None) -> Theme:
    """Put a theme at ``position`` (0 = first) among the themes of its round."""

    def reorder(fresh: Theme) -> None:
        row = [t for t in _siblings(fresh) if t != fresh]
        row.insert(max(0, min(position, len(row))), fresh)
        _renumber(row)

    description = f"Moved “{theme.title}” to place {position + 1}"
    return _change_theme(theme, user=user, action="reorder", description=description, edit=reorder)


def write_conclusions(*, event: Event, text: str, user: AbstractBaseUser | None) -> EventHarvest:
    text = check_length(
        text.strip(), limit=10000, error="Conclusions must be at most 10,000 characters."
    )

    def change(state: EventHarvest) -> EventHarvest:
        state.conclusions = text
        return state

    description = "Updated the conclusions"
    return curate(
        event=event, user=user, action="conclusions", description=description, change=change
    )
