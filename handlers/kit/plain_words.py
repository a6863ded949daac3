"""The plain-words note on a preview: what the measure says about the words staff typed,
written for the person about to send them. One renderer for every preview (an opportunity,
a meeting poll, a proposal, a "we did"), so each is held to the same measure and reads alike.

It only speaks when there is something to say, and it never blocks: the preview's own Send
button still sends the words as they are."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _
from domain.readability import MOST_WORDS_PER_SENTENCE, Ease, read


def _ease_line(found: Ease | None) -> str:
    if found is Ease.HARD:
        return _("✍️ Plain words: this is hard to read. Try short sentences and everyday words.")
    if found is Ease.FAIRLY_EASY:
        return _("✍️ Plain words: this is fairly easy to read.")
    if found is Ease.EASY:
        return _("✍️ Plain words: this is easy to read.")
    return _("✍️ Plain words:")


def plain_words_note(texts: Sequence[str | None]) -> str | None:
    """The note for a preview of these typed fields, or None when they read well."""
    reading = read(texts)
    if not reading.worth_saying:
        return None
    lines = [_ease_line(reading.ease)]
    if reading.longest_sentence > MOST_WORDS_PER_SENTENCE:
        lines.append(
            _("One sentence has {count} words. Try to keep each one under {most}.").format(
                count=reading.longest_sentence, most=MOST_WORDS_PER_SENTENCE
            )
        )
    if reading.jargon:
        lines.append(_("Some people may not know these words:"))
        lines += [
            _("• “{word}”: {suggestion}").format(word=entry.word, suggestion=_(entry.plain)) for entry in reading.jargon
        ]
    lines.append(_("You can change it, or send it as it is."))
    return "\n".join(lines)
