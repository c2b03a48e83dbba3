"""The source trees measured: the working tree (`.`) and other commits, each in a git worktree with its own .venv.

A commit is checked out with `git worktree add --detach /tmp/inkwell-bench-<sha>` and bootstrapped with its
own `scripts/bootstrap main`, so it runs with the dependencies it locked; the worktree is removed at the end
unless asked to keep it (a kept one is reused by the next run, skipping the install). Nothing else in the
repository changes: no checkout, stash or commit.
"""

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKTREE_PREFIX = "/tmp/inkwell-bench-"  # noqa: S108 - the place the brief names; sha-named, not secret
BOOTSTRAP_TIMEOUT_S = 1800
_in_use: set[Path] = set()  # worktrees of this run, so that one commit named twice is not removed twice


@dataclass(frozen=True)
class Tree:
    label: str  # what the table calls it: "." or the ref as given
    path: Path
    sha: str
    dirty: bool  # uncommitted changes (the working tree only)

    @property
    def inkwell(self) -> Path:
        return self.path / ".venv" / "bin" / "inkwell"

    def state(self) -> str:
        """What the code is right now: the commit, plus a digest of uncommitted changes for the working tree, which
        someone may be editing while the benchmark runs."""
        if self.label != ".":
            return self.sha[:12]
        changes = _git("diff", "HEAD") + _git("status", "--porcelain")
        return f"{_git('rev-parse', 'HEAD')[:12]}+{hashlib.sha256(changes.encode()).hexdigest()[:8]}"

    def describe(self) -> str:
        return f"{self.label} ({self.sha[:10]}{', uncommitted changes' if self.dirty else ''}) at {self.path}"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,  # noqa: S603, S607
                          check=True, timeout=120).stdout.strip()


def working_tree() -> Tree:
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return Tree(label=".", path=ROOT, sha=_git("rev-parse", "HEAD"), dirty=dirty)


def resolve(ref: str) -> str:
    try:
        return _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"--ref {ref}: not a commit of this repository") from error


@contextmanager
def checked_out(ref: str, *, keep: bool) -> Iterator[Tree]:
    """The working tree for `.`; otherwise a bootstrapped worktree of the commit, removed afterwards unless `keep`."""
    if ref == ".":
        yield working_tree()
        return
    sha = resolve(ref)
    path = Path(f"{WORKTREE_PREFIX}{sha[:12]}")
    if path in _in_use:
        raise SystemExit(f"--ref {ref} names a commit given already ({sha[:10]})")
    _in_use.add(path)
    if not (path / ".git").exists():
        if path.exists():
            raise SystemExit(f"{path} exists and is not a worktree; remove it first")
        print(f"checking out {ref} ({sha[:10]}) into {path}", flush=True)
        _git("worktree", "add", "--detach", str(path), sha)
    try:
        if not (path / "scripts" / "bootstrap").exists():
            raise SystemExit(f"{ref} has no scripts/bootstrap; it cannot be measured by this harness")
        print(f"bootstrapping {ref} (scripts/bootstrap main; the first time installs its locked dependencies)",
              flush=True)
        log = path / ".bench-bootstrap.log"
        with log.open("w") as output:
            completed = subprocess.run([str(path / "scripts" / "bootstrap"), "main"], cwd=path,  # noqa: S603
                                       stdout=output, stderr=subprocess.STDOUT, timeout=BOOTSTRAP_TIMEOUT_S,
                                       check=False)
        if completed.returncode != 0:
            raise SystemExit(f"bootstrapping {ref} failed:\n{log.read_text()[-3000:]}")
        yield Tree(label=ref, path=path, sha=sha, dirty=False)
    finally:
        if keep:
            print(f"kept the worktree {path} (--keep-worktrees)", flush=True)
        else:
            remove(path)


def remove(path: Path) -> None:
    try:
        _git("worktree", "remove", "--force", str(path))
    except subprocess.CalledProcessError as error:
        print(f"could not remove the worktree {path}: {error.stderr.strip()}", file=sys.stderr)
        if path.exists() and str(path).startswith(WORKTREE_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
