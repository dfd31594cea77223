"""The service menu: the groups of the Chongqing procedure, each a big tile in the residents' words.

The tiles come from `kiosk.domain.services.GROUPS`; a group with one service opens it
directly, a larger group opens its list (the `group` screen). Window-only services get
their own wide bar at the bottom, so nobody mistakes them for something done here. The
employer's batch business is not a resident's service: a smaller link under everything.
In 长辈模式 (kiosk/ui/mode.py) the screen shows at most four choices, the window-only tile
among them, and 「更多」 turns the page; the employer's link is left out.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.availability.rules import group_availability
from kiosk.domain.glossary import menu_words
from kiosk.domain.services import GROUPS, SERVICES, Group
from kiosk.i18n import Bilingual
from kiosk.ui.mode import MORE, Mode, page_count, page_of
from kiosk.ui.mode_toggle import ModeToggle  # noqa: F401  (used in home.kv)
from kiosk.ui.screen import KioskScreen
from kiosk.ui.widgets import BiButton

WINDOW_ONLY_GROUP = "window_only"
EMPLOYER_GROUP = "batch"  # an employer's handler, not a resident: a link, not a tile


def services_summary(group: Group, offered) -> Bilingual | None:
    """The services of a group listed on its tile; None when the title already says it."""
    titles = [menu_words(s.code, s.title) for s in SERVICES if s.group == group.code and offered(s.code)]
    if len(titles) < 2:
        return None
    return Bilingual("\n".join(t.zh for t in titles), "\n".join(t.en for t in titles))  # one service a line


class GroupTile(ButtonBehavior, BoxLayout):
    group = ObjectProperty(None)
    title = ObjectProperty(None)  # Bilingual
    summary = ObjectProperty(None, allownone=True)  # Bilingual
    at_window = BooleanProperty(False)
    # Degraded service (kiosk.availability): the group's ServiceAvailability; greyed with its reason when closed.
    availability = ObjectProperty(None, allownone=True)
    closed = BooleanProperty(False)

    def on_availability(self, _tile, state) -> None:
        self.closed = state is not None and not state.open

    def fits_summary(self, height: float, title_height: float, summary_height: float) -> bool:
        """The list of services is a help, the title is the point: on a small tile
        (landscape, long English) the list gives way rather than push the title out."""
        room = height - self.padding[1] - self.padding[3] - self.spacing
        return self.summary is not None and title_height + summary_height <= room

    def on_release(self):
        App.get_running_app().open_group(self.group.code)


class MoreTile(GroupTile):
    """「更多」 in 长辈模式: the next page of tiles."""

    def on_release(self):
        self.parent_screen.next_page()


class EmployerLink(BiButton):
    """The employer's batch business, small and at the bottom: not a resident's tile. Closed
    (the printer out of paper) or noted (the centre unreachable), it says why after its name."""

    group = ObjectProperty(None)
    availability = ObjectProperty(None, allownone=True)
    closed = BooleanProperty(False)

    def on_availability(self, _link, state) -> None:
        self.closed = state is not None and not state.open
        reason = state.reason if state is not None else None
        title = self.group.title
        self.phrase = title if reason is None else Bilingual(f"{title.zh}（{reason.zh}）", f"{title.en} ({reason.en})")

    def on_release(self):
        App.get_running_app().open_group(self.group.code)


class HomeScreen(KioskScreen):
    screen_name = "home"
    show_home_button = False
    page = NumericProperty(0)  # 长辈模式 only: which four choices are shown

    def on_kv_post(self, base_widget):
        app = App.get_running_app()
        offers = app.offers
        self._tiles: list[GroupTile] = []
        self._window_tile: GroupTile | None = None
        self._employer: EmployerLink | None = None
        for group in GROUPS:
            if not any(offers(s.code) for s in SERVICES if s.group == group.code):
                continue  # the region offers none of it, here or at the window
            if group.code == EMPLOYER_GROUP:
                self._employer = EmployerLink(group=group, phrase=group.title)
                continue
            tile = GroupTile(group=group, title=group.title, summary=services_summary(group, offers))
            if group.code == WINDOW_ONLY_GROUP:
                tile.at_window = True
                self._window_tile = tile
            else:
                self._tiles.append(tile)
        self.more_tile = MoreTile(title=MORE)
        self.more_tile.parent_screen = self
        app.bind(mode=lambda *_: self._mode_changed())
        self.bind(page=lambda *_: self.lay_out())
        self.lay_out()
        app.bind(availability=self.mark_availability)
        self.mark_availability(app, app.availability)

    def mark_availability(self, app, kiosk) -> None:
        """Each tile greyed with its reason while its services are closed, or with a note (queued)."""
        for tile in [*self._simpler_choices(), *([self._employer] if self._employer else [])]:
            codes = [s.code for s in SERVICES if s.group == tile.group.code and app.offers(s.code)]
            tile.availability = group_availability(kiosk, tile.group.code, codes)

    @property
    def simpler(self) -> bool:
        return App.get_running_app().mode == Mode.SIMPLER

    def _mode_changed(self) -> None:
        self.page = 0
        self.lay_out()

    def on_pre_enter(self, *_args) -> None:
        self.page = 0

    def next_page(self) -> None:
        self.page += 1

    def lay_out(self) -> None:
        """The tiles the mode shows: all of them, or a page of them with 「更多」."""
        tiles, window_bar, link_bar = self.ids.tiles, self.ids.window_bar, self.ids.employer_bar
        for container in (tiles, window_bar, link_bar):
            container.clear_widgets()
        if self.simpler:
            shown, more = page_of(self._simpler_choices(), self.page)
            for tile in shown + ([self.more_tile] if more else []):
                tiles.add_widget(tile)
            return
        for tile in self._tiles:
            tiles.add_widget(tile)
        if self._window_tile is not None:
            window_bar.add_widget(self._window_tile)
        if self._employer is not None:
            link_bar.add_widget(self._employer)

    def _simpler_choices(self) -> list[GroupTile]:
        return self._tiles + ([self._window_tile] if self._window_tile else [])

    def page_count(self) -> int:
        """How many pages of tiles 「更多」 turns through (1 in the standard mode)."""
        return page_count(self._simpler_choices()) if self.simpler else 1

    def choices(self) -> list:
        """The tiles a resident can touch now (the UI tests count them)."""
        return [w for box in (self.ids.tiles, self.ids.window_bar, self.ids.employer_bar) for w in box.children]

    def tile(self, group_code: str) -> GroupTile | EmployerLink:
        """The tile (or the employer's link) that opens `group_code`, shown or not."""
        for tile in [*self._tiles, self._window_tile, self._employer]:
            if tile is not None and tile.group.code == group_code:
                return tile
        raise KeyError(group_code)
