"""Links for long lists: reverse() a URL once and fill in each row's id, instead of once per row."""

from django.urls import reverse

_SLOT = 918273645  # an id no row has; it marks where each row's id goes


def url_for_each(viewname: str, *args) -> str:
    """The URL of `viewname` with `args` and a last integer argument left as "{}", for str.format per row:
    reverse() costs about 0.2 ms a call, which a page of a hundred rows with three links each notices."""
    url = reverse(viewname, args=[*args, _SLOT])
    if url.count(str(_SLOT)) != 1:
        raise ValueError(f"{viewname} 的网址无法按行填充")
    return url.replace(str(_SLOT), "{}")
