"""The command palette (ctrl+p): every action of the current screen, by name."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keys import KeyHelp, screen_keys


class GroomCommands(Provider):
    def _keys(self) -> list[KeyHelp]:
        # The palette does not offer itself.
        return [k for k in screen_keys(self.screen) if k.action != "command_palette"]

    async def _run(self, key: KeyHelp) -> None:
        await self.app.run_action(key.action, default_namespace=key.node)

    async def discover(self) -> Hits:
        for key in self._keys():
            yield DiscoveryHit(Text(key.description), partial(self._run, key), help=f"key: {key.keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in self._keys():
            score = matcher.match(key.description)
            if score > 0:
                yield Hit(score, matcher.highlight(key.description), partial(self._run, key),
                          help=f"key: {key.keys} ({key.place})")
