"""The postal address: district and street picked from the region policy, the rest written.

Picking 区县 and 街道/镇 spares the resident most of the writing and spells them the way
the post expects; only the road, number and building are written on the Chinese input
screen (kiosk.flows.chinese_entry). A region with one district skips the district
question; a district the policy lists no streets for lets the resident write the street
with the rest. The whole address keeps to the region's limit (kiosk.domain.postal_areas),
never above the centre's 200 characters.

Screens (for scripted tests), in order:

| screen        | params                                      | answer                                 |
|---------------|---------------------------------------------|----------------------------------------|
| choose        | title=WHICH_DISTRICT, options (code = the    | the district's zh name, BACK or HOME   |
|               | district's zh name); only if there are two+ |                                        |
| choose        | title=WHICH_STREET (filled with the         | the street's zh name, BACK or HOME     |
|               | district), options (code = the street's zh) |                                        |
| chinese_input | kind="address_rest", max_chars = what is    | the rest, e.g. "向阳路13号", BACK, HOME |
|               | left of the limit after the picked part     |                                        |

So a Changshou resident is scripted as
`[("choose", "凤城街道"), ("chinese_input", "向阳路13号")]` and a Beijing one as
`[("choose", "怀柔区"), ("chinese_input", "青春路1号")]` (Beijing lists no streets).
A region without a `[postal]` table has nothing to pick: the flow says so on a notice
and returns BACK (the caller offers the ID card's address or the window instead).
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.domain.postal_address import PostalAddress, rest_limit
from kiosk.domain.postal_areas import District, PostalAreas, postal_areas
from kiosk.flows.chinese_entry import ADDRESS_REST, Back, write_chinese
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import BACK, HOME, LEAVING, OK_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi

WHICH_DISTRICT = bi("地址在哪个区县？", "Which district is the address in?")
WHICH_STREET = bi("在{district}哪个街道或镇？", "Which street or town of {district}?")
STREET_NOTE = bi("选好后，只要写路名和门牌号。", "After this you only write the road and number.")
WRITE_STREET_TOO = bi(
    "写上街道或乡镇、路名、门牌号", "Write the street or town, road and number"
)
NO_PICKER = bi("本机不能选这个地区的地址", "This kiosk cannot take addresses for this region")
NO_PICKER_BODY = bi(
    "请用身份证上的地址，或到窗口告诉工作人员。",
    "Please use the address on the ID card, or tell the staff at the window.",
)
ADDRESS_FULL = bi(
    "选的区县和街道已经用满了地址的字数，请到窗口办理。",
    "The district and street already fill the address. Please go to the window.",
)


async def ask_postal_address(port: FlowPort, *, current: PostalAddress | None = None) -> PostalAddress | Back:
    """District, street, then the rest; a PostalAddress, or BACK / HOME."""
    areas = postal_areas(port.services.policy)
    if not areas.districts:
        answer = await port.ask("notice", title=NO_PICKER, body=NO_PICKER_BODY, tone="warning", actions=[OK_OPTION])
        return HOME if answer == HOME else BACK
    while True:
        district = await _district(port, areas, current)
        if district in LEAVING:
            return district
        while True:
            street = await _street(port, district, current)
            if street == HOME:
                return HOME
            if street == BACK:
                break
            rest = await _rest(port, areas, district, street, current)
            if rest == HOME:
                return HOME
            if rest != BACK:
                return rest
            if not district.streets:
                break
        if len(areas.districts) == 1:
            return BACK


async def _district(port: FlowPort, areas: PostalAreas, current: PostalAddress | None) -> District | str:
    if len(areas.districts) == 1:
        return areas.districts[0]
    options = _options([d.name for d in areas.districts], current.district if current else None)
    answer = await port.ask("choose", title=WHICH_DISTRICT, options=options)
    return answer if answer in LEAVING else areas.district(answer)


async def _street(port: FlowPort, district: District, current: PostalAddress | None) -> str:
    """The street's zh name ("" when the district lists none), BACK or HOME."""
    if not district.streets:
        return ""
    options = _options(list(district.streets), current.street if current else None)
    answer = await port.ask("choose", title=fill(WHICH_STREET, district=district.name), options=options, note=STREET_NOTE)
    return answer if answer in LEAVING else district.street(answer).zh


async def _rest(port: FlowPort, areas: PostalAreas, district: District, street: str,
                current: PostalAddress | None) -> PostalAddress | str:  # fmt: skip
    picked = PostalAddress(district.name.zh, street, "", areas.city)
    limit = rest_limit(picked.prefix, areas.address_max_chars)
    if limit < 1:
        answer = await port.ask("notice", title=NO_PICKER, body=ADDRESS_FULL, tone="warning", actions=[OK_OPTION])
        return HOME if answer == HOME else BACK
    field = ADDRESS_REST.limited_to(min(limit, ADDRESS_REST.max_chars))
    if not street:
        field = replace(field, title=WRITE_STREET_TOO)
    same_place = current is not None and (current.district, current.street) == (picked.district, picked.street)
    written = await write_chinese(port, field, current=current.rest if same_place else "")
    if written in LEAVING:
        return written
    return PostalAddress(picked.district, picked.street, written, areas.city)


def _options(names: list[Bilingual], first: str | None) -> list[Option]:
    """One option per name, the one already on record first."""
    ordered = sorted(names, key=lambda n: n.zh != first) if first else names
    return [Option(n.zh, n) for n in ordered]
