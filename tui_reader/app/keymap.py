"""The user's [keys] table checked against the app's real bindings before Textual applies it.

Textual ignores an unknown binding id and, where a key ends up bound to two actions, quietly lets one
of them win: a typo or a clash would cost the user a key without a word. Here both are found and said,
and an entry that would clash keeps its default keys instead (as a bad setting keeps its default).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from textual.binding import Binding, BindingType

Place = tuple[str, Sequence[BindingType]]  # a name for messages, and bindings that are active together


def check_keymap(keymap: Mapping[str, str], places: Sequence[Place],
                 source: str) -> tuple[dict[str, str], list[str]]:
    """The keymap to apply (unknown ids and clashing entries left out) and what was wrong with it;
    source names the settings file in the messages."""
    known = sorted({binding.id for _, bindings in places for binding in Binding.make_bindings(bindings) if binding.id})
    chosen: dict[str, str] = {}
    problems = []
    for binding_id, keys in keymap.items():
        if binding_id in known:
            chosen[binding_id] = keys  # as the user wrote it ("?"): saving the settings compares it with the file
            continue
        close = difflib.get_close_matches(binding_id, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "the README's Keys section lists the ids"
        problems.append(f"{source}: [keys] {binding_id!r} is not a binding id ({hint}); ignored")
    while clashes := _clashes(chosen, places):
        for place, key, bound in clashes:
            ours = sorted(binding_id for binding_id, _ in bound if binding_id in chosen)
            named = " and ".join(f"{description} ({binding_id})" if binding_id else description
                                 for binding_id, description in bound)
            problems.append(f"{source}: [keys] {key} would be bound to both {named} in the {place}; "
                            f"{', '.join(ours)} {'keep their' if len(ours) > 1 else 'keeps its'} default keys")
        for _, _, bound in clashes:
            for binding_id, _ in bound:
                chosen.pop(binding_id, None)
    return chosen, problems


def _clashes(keymap: Mapping[str, str], places: Sequence[Place]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(place, key, [(binding id, description)...]) for each key that the keymap binds to two actions in
    one place; clashes among the default keys alone are not the user's doing and are left out."""
    found = []
    for place, bindings in places:
        by_key: dict[str, dict[str, tuple[str, str]]] = {}  # key -> action -> (binding id, description)
        for binding in Binding.make_bindings(bindings):
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            for key in _keys(keys):
                named = (binding.id or "", binding.description or binding.action)
                by_key.setdefault(key, {}).setdefault(binding.action, named)
        for key, actions in by_key.items():
            if len(actions) > 1 and any(binding_id in keymap for binding_id, _ in actions.values()):
                found.append((place, key, list(actions.values())))
    return found


def _keys(keys: str) -> list[str]:
    """Keys as Textual names them ("?" is "question_mark"), empty parts left out."""
    parts = ",".join(part for part in (p.strip() for p in keys.split(",")) if part)
    return [binding.key for binding in Binding.make_bindings([Binding(parts, "")])] if parts else []
