"""What the apps' forms share."""

from django import forms


def add_bootstrap_class(widget: forms.Widget) -> None:
    """Give a widget its Bootstrap class, once (classes, never inline styles: CSP)."""
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if css not in widget.attrs.get("class", "").split():
        widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
