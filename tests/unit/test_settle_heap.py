from __future__ import annotations

import gc

from bot.app import settle_heap


def test_what_start_up_built_is_kept_out_of_full_collections() -> None:
    built_at_start = [[n] for n in range(1000)]  # lists: objects the collector tracks
    try:
        settle_heap()
        full_pass = {id(o) for o in gc.get_objects(generation=2)}
        assert gc.get_freeze_count() >= len(built_at_start)
        assert not any(id(o) in full_pass for o in built_at_start)
    finally:
        gc.unfreeze()
