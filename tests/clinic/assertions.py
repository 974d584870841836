def error_beside_field(response, field: str) -> str:
    """The text of the error shown next to a form field (crispy's `id_<field>_error`)."""
    html = " ".join(response.content.decode().split())
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</div>", start)]
