"""SQLite files readable by the app's own user only.

The database holds names, scores and password hashes. Created under the usual umask 022 it
was world-readable (0644), and so were its -wal and -shm files. SQLite gives new -wal, -shm
and journal files the permissions of the database file, so making the database 0600 on
every new connection covers them from then on; files that already exist are set too.
"""

import os
import stat

from django.db.backends.signals import connection_created

PRIVATE = stat.S_IRUSR | stat.S_IWUSR  # 0600
SIDE_FILES = ("", "-wal", "-shm", "-journal")


def sqlite_files_private(sender, connection, **kwargs) -> None:
    """connection_created receiver: chmod 0600 the SQLite database file and its side files."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return
    for suffix in SIDE_FILES:
        path = name + suffix
        try:
            if stat.S_IMODE(os.stat(path).st_mode) != PRIVATE:
                os.chmod(path, PRIVATE)
        except FileNotFoundError:
            continue
        except PermissionError:
            # Not ours to change (e.g. a read-only copy owned by someone else): leave it.
            continue


def connect() -> None:
    connection_created.connect(sqlite_files_private, dispatch_uid="sqlite_files_private")
