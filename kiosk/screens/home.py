"""The service menu: the groups of the Chongqing procedure, each a big tile.

The tiles come from `kiosk.domain.services.GROUPS`; a group with one service opens it
directly, a larger group opens its list (the `group` screen). Window-only services get
their own wide bar at the bottom, so nobody mistakes them for something done here.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ObjectProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.availability.rules import group_availability
from kiosk.domain.services import GROUPS, SERVICES, Group
from kiosk.i18n import Bilingual
from kiosk.ui.screen import KioskScreen

WINDOW_ONLY_GROUP = "window_only"


def services_summary(group: Group, offered) -> Bilingual | None:
    """The services of a group listed on its tile; None when the title already says it."""
    titles = [s.title for s in SERVICES if s.group == group.code and offered(s.code)]
    if len(titles) < 2:
        return None
    return Bilingual("、".join(t.zh for t in titles), ", ".join(t.en for t in titles))


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


class HomeScreen(KioskScreen):
    screen_name = "home"
    show_home_button = False

    def on_kv_post(self, base_widget):
        offers = App.get_running_app().offers
        for group in GROUPS:
            if not any(offers(s.code) for s in SERVICES if s.group == group.code):
                continue  # the region offers none of it, here or at the window
            tile = GroupTile(group=group, title=group.title, summary=services_summary(group, offers))
            if group.code == WINDOW_ONLY_GROUP:
                tile.at_window = True
                self.ids.window_bar.add_widget(tile)
            else:
                self.ids.tiles.add_widget(tile)
        app = App.get_running_app()
        app.bind(availability=self.mark_availability)
        self.mark_availability(app, app.availability)

    def mark_availability(self, app, kiosk) -> None:
        """Each tile greyed with its reason while its services are closed, or with a note (queued)."""
        for container in (self.ids.tiles, self.ids.window_bar):
            for tile in container.children:
                codes = [s.code for s in SERVICES if s.group == tile.group.code and app.offers(s.code)]
                tile.availability = group_availability(kiosk, tile.group.code, codes)

    def tile(self, group_code: str) -> GroupTile:
        for container in (self.ids.tiles, self.ids.window_bar):
            for tile in container.children:
                if tile.group.code == group_code:
                    return tile
        raise KeyError(group_code)
