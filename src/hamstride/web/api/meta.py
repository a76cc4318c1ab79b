"""Service endpoints: a bare hello (the benchmark's ceiling) and the version."""

from __future__ import annotations

from fastapi import APIRouter

from hamstride import __version__

router = APIRouter(tags=["meta"])


@router.get("/hello", summary="Hello and the version")
async def hello() -> dict[str, str]:
    """The cheapest endpoint of the same stack: the throughput ceiling for benchmarks."""
    return {"hello": "hamstride", "version": __version__}
