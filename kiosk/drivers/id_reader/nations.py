"""GB/T 3304 nations, as the ID reader decodes them: the table lives in kiosk.domain.nations."""

from kiosk.domain.nations import NATIONS, Nation, nation_by_code, nation_by_name

__all__ = ["NATIONS", "Nation", "nation_by_code", "nation_by_name"]
