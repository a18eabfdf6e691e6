"""SHA-256 checksums of files, read in chunks so that memory does not grow with the file."""

import hashlib

#: How many bytes are read at a time.
CHUNK = 1024 * 1024


def sha256(stream):
    """The SHA-256 of everything ``stream`` (a binary file object) holds, as 64 hexadecimal
    digits. A seekable stream is read from its start and left at its start."""
    digest = hashlib.sha256()
    if stream.seekable():
        stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    if stream.seekable():
        stream.seek(0)
    return digest.hexdigest()
