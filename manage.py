#!/usr/bin/env python
import os
import sys

# Commands whose writes are not partners' data, or that serve requests of their own.
UNAUDITED_COMMANDS = {"runserver", "shell", "dbshell", "test", "makemigrations", "migrate"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command.startswith("-") or command in UNAUDITED_COMMANDS or not command:
        execute_from_command_line(sys.argv)
    else:
        import django

        django.setup()
        import pghistory

        # The audit's events of what the command writes (load_demo, import_layer,
        # undo_import …) name it: there is no user (audit/, docs/architecture.md).
        with pghistory.context(command=command):
            execute_from_command_line(sys.argv)
