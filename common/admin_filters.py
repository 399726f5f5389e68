"""List filters whose title says what they filter, for fields whose own name is ambiguous.

A source's kind and its outlet's kind are both called "kind": Django titles both
filters "By kind". `titled("outlet kind")` gives the second its own title.
"""

from django.contrib import admin


def titled(title: str, base: type[admin.FieldListFilter] = admin.ChoicesFieldListFilter):
    class TitledFilter(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


class TagFilter(admin.RelatedFieldListFilter):
    """The tag filter, whose "no tag" choice reads "Untagged" rather than a dash."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "Untagged"
