"""The RAG vocabulary: Red, Amber and Green, as every rating in the service names them.

Pure, no Django import. A metric rated against its target (`metrics.rag`) and a scheme rated in
the board's portfolio view (`reports`) use this one type, so a badge, a filter or an export
never meets a second spelling of the same colour. The words each rating carries (On Track,
Slightly Worse, ...) belong to the rule that gives it; the colour alone never carries meaning.
"""

from __future__ import annotations

from enum import StrEnum


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# For model and form fields: ("green", "Green"), ... in the order Green, Amber, Red.
RAG_CHOICES = [(rag.value, rag.label) for rag in Rag]
RAG_VALUES = [rag.value for rag in Rag]
