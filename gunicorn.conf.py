"""gunicorn's settings for the register, read by gunicorn when it starts in this folder
(``make serve``, the README's production command, the load test).

Command-line options still apply on top of these.
"""

# No control socket: gunicorn would otherwise create one under the user's home folder (or
# XDG_RUNTIME_DIR) through which anyone with that account could resize or stop the server.
# The register manages its servers with signals and the service manager instead.
control_socket_disable = True
