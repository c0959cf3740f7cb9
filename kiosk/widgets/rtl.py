"""Right-to-left rendering for the kiosk's text widgets (see kiosk/bidi.py).

The widgets keep their logical text (what is read aloud, searched, printed); only `render()` hands
Textual the shaped, reordered lines while the UI language is written right to left.
"""
from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from ..i18n import current_language, is_rtl


def rtl_active() -> bool:
    """True while the UI language is written right to left (Arabic, Persian)."""
    return is_rtl(current_language())


def _line_style(line: Content) -> str:
    """The style of spans covering the whole line (a heading, italics); partial spans are lost,
    since reordering would tear them apart."""
    return " ".join(str(span.style) for span in line.spans if span.start == 0 and span.end >= len(line.plain))


def rtl_content(content: Content, widget: Widget) -> Content:
    """`content` laid out right to left in the widget's content width: each logical line wrapped,
    shaped, reordered and right-aligned (centred where the widget centres its text)."""
    from ..bidi import display_lines  # arabic_reshaper and python-bidi: only for a right-to-left language

    # A wrapping Button wraps inside its line padding too: lines as wide as the content would be
    # wrapped again by Textual, in the wrong (visual) order.
    wrap_lines = str(widget.styles.text_wrap) != "nowrap"  # nowrap: cut with "…", as Textual would
    limit = widget.content_size.width - (2 * widget.styles.line_pad if wrap_lines else 0)
    align = "center" if str(widget.styles.text_align) == "center" else "right"
    if limit <= 0:  # not laid out yet (measuring an auto width): no wrapping, no padding
        limit, align = max((len(line) for line in content.plain.split("\n")), default=1), "none"
    lines: list[Content] = []
    for logical in content.split("\n"):
        style = _line_style(logical)
        lines += [Content.styled(text, style) if style else Content(text)
                  for text in display_lines(logical.plain, limit, align=align, wrap_lines=wrap_lines)]
    return Content("\n").join(lines)
