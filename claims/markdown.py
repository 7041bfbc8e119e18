"""Markdown for rationales, rendered to HTML that is safe to show to readers.

Markdown passes raw HTML through, so its output is cleaned with nh3 (an allow-list HTML
sanitiser): only text formatting, lists, quotes, tables and http(s)/mailto links survive.

Claim.save() keeps the result in Claim.rationale_html. A change to these rules reaches claims
saved before it only through a data migration that renders them again (as 0005 did).
"""

import re
import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
HEADING_TOO_HIGH = re.compile(r"<(/?)h[12]>")
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a Markdown instance (loading its extensions) costs more than converting a
    # rationale; one per thread is reused, since an instance is not safe to share.
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"])
    return converter.reset()


def render_markdown(text: str) -> SafeString:
    html = _converter().convert(text or "")
    # A rationale's "# Title" must not outrank the page's own h1 and h2 headings.
    html = HEADING_TOO_HIGH.sub(r"<\1h3>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above
