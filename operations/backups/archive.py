"""The backup archive: a gzipped tar file of plain files, described by its manifest.

Writing adds files under fixed ownership and mode. Reading trusts nothing: every member must
be a plain file with a safe name, listed in the manifest with its size and checksum, and the
manifest must be of this format and version, before anything is unpacked for a restore.
"""

import json
import shutil
import tarfile
from pathlib import Path

from operations.backups.base import (
    CHUNK,
    DATA,
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    VERSION,
    BackupError,
    sha256_of,
)


def add_member(tar, name, path):
    """Add the local file ``path`` to ``tar`` as ``name``, owned by nobody in particular."""
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    with open(path, "rb") as stream:
        tar.addfile(info, stream)


def describe(path):
    """What the manifest records about a member: its size and SHA-256."""
    return {"bytes": Path(path).stat().st_size, "sha256": sha256_of(path)}


def safe_media_name(member):
    """The storage name of a media member, or None if the name could escape the folder."""
    if not member.startswith(MEDIA_PREFIX):
        return None
    name = member.removeprefix(MEDIA_PREFIX)
    if any(part in {"", ".", ".."} for part in name.split("/")):
        return None
    if "\\" in name or "\x00" in name:
        return None
    return name


def _plain_members(source, tar):
    """The archive's members, once each is known to be a plain file with a unique name."""
    try:
        members = tar.getmembers()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is damaged: {error}") from None
    names = [member.name for member in members]
    if len(set(names)) != len(names):
        raise BackupError(f"{source} holds the same name twice: it was not made by backup.")
    for member in members:
        if not member.isfile():
            raise BackupError(f"{source} holds {member.name!r}, which is not a plain file.")
    return members


def _check_version(source, version):
    if version == 1:
        raise BackupError(
            f"{source} was made by an earlier release of the register, in backup format "
            "version 1 (the rows as one JSON document). This release reads format version "
            f"{VERSION} only (the rows as JSON Lines): restore it with the release that made "
            "it, then make a new backup with this release."
        )
    if version != VERSION:
        raise BackupError(
            f"{source} is a backup of format version {version!r}; this "
            f"version of the register reads version {VERSION} only."
        )


def _read_manifest(source, tar, names):
    """The archive's manifest, once it is known to be of this format and version."""
    if MANIFEST not in names:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a register backup.")
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{source}: {MANIFEST} is not valid JSON: {error}") from None
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is damaged at {MANIFEST}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a register backup.")
    _check_version(source, manifest.get("version"))
    files = manifest.get("files")
    if not isinstance(files, dict) or DATA not in files:
        raise BackupError(f"{source}: the manifest lists no {DATA}.")
    if not isinstance(manifest.get("records"), dict):
        raise BackupError(f"{source}: the manifest holds no row counts.")
    return manifest


def _check_listing(source, names, manifest):
    """Every member other than the manifest is expected, and listed in the manifest."""
    for name in names:
        if name not in {MANIFEST, DATA} and safe_media_name(name) is None:
            raise BackupError(f"{source} holds an unexpected member {name!r}.")
    expected = set(manifest["files"])
    present = set(names) - {MANIFEST}
    if present != expected:
        missing = sorted(expected - present)
        extra = sorted(present - expected)
        raise BackupError(
            f"{source} does not hold what its manifest lists "
            f"(missing: {missing or 'none'}; not listed: {extra or 'none'})."
        )


def _extract(source, tar, members, manifest, scratch):
    """Unpack every member but the manifest into ``scratch``, checking size and checksum.

    Returns the path of the rows and [(storage name, unpacked path)] of the media files.
    """
    media = []
    for index, member in enumerate(members):
        if member.name == MANIFEST:
            continue
        target = Path(scratch) / (DATA if member.name == DATA else f"media-{index}")
        try:
            with tar.extractfile(member) as stream, open(target, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{source} is damaged at {member.name}: {error}") from None
        facts = manifest["files"][member.name]
        if not isinstance(facts, dict) or describe(target) != {
            "bytes": facts.get("bytes"),
            "sha256": facts.get("sha256"),
        }:
            raise BackupError(f"{source} is damaged: {member.name} does not match its checksum.")
        if member.name != DATA:
            media.append((safe_media_name(member.name), target))
    return Path(scratch) / DATA, media


def read_archive(source, scratch):
    """Check the archive ``source`` and unpack it into the folder ``scratch``.

    Returns (manifest, path of the rows, [(storage name, unpacked path)]). Raises
    BackupError for anything that is not a complete, intact backup of this format.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the "with" below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{source} is not a backup archive (a .tar.gz file): {error}") from None
    with tar:
        members = _plain_members(source, tar)
        names = [member.name for member in members]
        manifest = _read_manifest(source, tar, names)
        _check_listing(source, names, manifest)
        data_path, media = _extract(source, tar, members, manifest, scratch)
    return manifest, data_path, media
