"""PASSWORD_HASHING_THREADS reaches the hasher: that many hashes run at once, the rest wait."""

import asyncio
from pathlib import Path

from entrypoints.container import build_container, close_resources
from entrypoints.settings import Settings


async def test_the_configured_number_of_hashes_run_at_once(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, inkwell_profile="embedded", data_dir=tmp_path, bcrypt_rounds=10, password_hashing_threads=1
    )
    container = build_container(settings)
    hasher = container.security.hasher()
    try:
        hashes = [asyncio.create_task(hasher.hash("correct horse battery")) for _ in range(3)]
        await asyncio.sleep(0)  # each has asked for a thread; none can have finished
        assert (hasher.hashing, hasher.waiting) == (1, 2)
        await asyncio.gather(*hashes)
    finally:
        await close_resources(container)
